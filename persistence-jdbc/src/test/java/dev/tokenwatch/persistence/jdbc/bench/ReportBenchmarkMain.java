package dev.tokenwatch.persistence.jdbc.bench;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.TimeGrain;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import dev.tokenwatch.persistence.jdbc.LedgerExplain;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Reports over a large ledger, in one JVM (not JMH: one report is a single long operation): loads
 * {@code N} events (default 1,000,000) into a fresh database, then measures {@code report daily --by
 * model} over the whole ledger and over 30 days with edges off the 15-minute grid, a window's first
 * figure (no kept totals: derived from the ledger) and a kept window's totals (what {@code status}
 * reads), and prints the plans of the report's statement. Run on the module's test class path:
 *
 * <pre>
 * java -cp ... dev.tokenwatch.persistence.jdbc.bench.ReportBenchmarkMain [events] [h2,postgresql]
 * </pre>
 *
 * <p>The events: 90 days, sessions of 500 calls about 12 s apart (so about 100 minutes each), 3 of
 * 8 models per session, 20 projects, a tag {@code team} of 5 values; every event has a request id.
 */
public final class ReportBenchmarkMain {

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final int DAYS = 90;
  static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

  private ReportBenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    String[] databases = (args.length > 1 ? args[1] : "h2,postgresql").split(",");
    for (String database : databases) {
      System.out.println(run(database, events, 5, true));
    }
  }

  /** Loads, measures (each operation {@code rounds} times after two unmeasured) and returns a report. */
  static String run(String database, int events, int rounds, boolean explain) throws SQLException {
    BenchDatabase db = BenchDatabase.create(database);
    StringBuilder out = new StringBuilder();
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(db.url).user(db.user).poolSize(4).build()) {
      BudgetWindow march = new BudgetWindow("all", Instant.parse("2026-03-01T00:00:00Z"),
          Instant.parse("2026-04-01T00:00:00Z"), UsageFilter.ANY);
      long loadStart = System.nanoTime();
      load(store, events, march);
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      if ("postgresql".equals(database)) {
        // What autovacuum does after a load: without statistics the planner guesses the tables' sizes.
        try (Connection c = java.sql.DriverManager.getConnection(db.url, db.user, ""); Statement st = c.createStatement()) {
          st.execute("ANALYZE");
        }
      }
      UsageQuery all = UsageQuery.all().per(TimeGrain.DAY, ZONE).groupBy(Dimension.MODEL);
      UsageQuery month = all.between(Instant.parse("2026-02-10T10:07:13Z"), Instant.parse("2026-03-12T10:07:13Z"));
      BudgetWindow unseen = new BudgetWindow("opus", Instant.parse("2026-02-01T00:00:00Z"),
          Instant.parse("2026-03-01T00:00:00Z"), UsageFilter.models("model-1*").withProject("p3"));
      out.append(String.format(Locale.ROOT, "%n### %s, %,d events (loaded in %.1f s, %,.0f events/s)%n%n", database,
          events, loadSeconds, events / loadSeconds));
      out.append("| operation | median ms | min ms | rows |\n|---|---:|---:|---:|\n");
      row(out, "report daily --by model, whole ledger", rounds, () -> store.query(all));
      row(out, "report daily --by model, 30 days, edges off the grid", rounds, () -> store.query(month));
      row(out, "first figure of a window (model glob + project, 1 month)", rounds,
          () -> new UsageAnswer(List.of(), null, store.windowTotals(unseen).calls() < 0));
      row(out, "kept window totals (status)", rounds,
          () -> new UsageAnswer(List.of(), null, store.windowTotals(march).calls() < 0));
      if (explain) {
        String prefix = "postgresql".equals(database) ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ANALYZE ";
        out.append("\nPlan of the whole-ledger report:\n\n```\n");
        LedgerExplain.of(store, all, prefix).forEach(l -> out.append(l).append('\n'));
        out.append("```\n\nPlan of the 30-day report:\n\n```\n");
        LedgerExplain.of(store, month, prefix).forEach(l -> out.append(l).append('\n'));
        out.append("```\n\nPlan of the window's first figure:\n\n```\n");
        LedgerExplain.of(store, unseen.query(), prefix).forEach(l -> out.append(l).append('\n'));
        out.append("```\n");
      }
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String label, int rounds, Supplier<UsageAnswer> operation) {
    int rows = 0;
    for (int i = 0; i < 2; i++) {
      rows = operation.get().rows().size();
    }
    double[] ms = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      operation.get();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %d |%n", label, ms[rounds / 2], ms[0], rows));
  }

  /** Records {@code events} in batches of 1,000, keeping {@code window}'s totals, as an ingest would. */
  static void load(JdbcUsageStore store, int events, BudgetWindow window) {
    SplittableRandom random = new SplittableRandom(13);
    List<TokenUsageEvent> batch = new ArrayList<>(1_000);
    long sessionStart = 0;
    int[] models = new int[3];
    for (int i = 0; i < events; i++) {
      int session = i / 500;
      if (i % 500 == 0) {
        sessionStart = START.getEpochSecond() + random.nextLong(DAYS * 86_400L - 7_200);
        for (int m = 0; m < 3; m++) {
          models[m] = random.nextInt(8);
        }
      }
      int project = session % 20;
      TokenUsageEvent e = TokenUsageEvent.builder("model-" + models[random.nextInt(3)])
          .inputTokens(100 + random.nextInt(900)).outputTokens(random.nextInt(300))
          .cacheReadTokens(random.nextInt(2_000))
          .timestamp(Instant.ofEpochSecond(sessionStart + (i % 500) * 12L, random.nextInt(1_000_000_000)))
          .requestId("req-" + i).project("p" + project).session("s" + session).tag("team", "t" + project % 5)
          .build();
      batch.add(e);
      if (batch.size() == 1_000 || i == events - 1) {
        store.record(batch, List.of(window));
        batch = new ArrayList<>(1_000);
      }
    }
  }

  /** A few thousand events, for the smoke test. */
  static String smoke(String database) throws SQLException {
    return run(database, 3_000, 1, true);
  }
}
