package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.testing.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kept windows on H2 (one process at a time, so in this JVM): trackers of different budgets on one
 * store charge each other's windows, and the windows of a database of the V1 format, whose scopes
 * were not recorded, are derived from the ledger again once named.
 */
class H2KeptWindowsTest {

  @TempDir
  Path dir;

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("usage").toAbsolutePath();
  }

  private JdbcUsageStore open() {
    return JdbcUsageStore.builder().url(url()).user("sa").password("").build();
  }

  @Test
  void trackersOfDifferentBudgetsChargeEachOthersWindowsExactly() throws Exception {
    BudgetsWorkload.now = BudgetsWorkload.noonToday();
    Map<String, List<Double>> alerts = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(BudgetsWorkload.PROCESSES);
    List<TokenBudget> budgets = BudgetsWorkload.budgets(BudgetsWorkload.ALL_BUDGETS);
    try (JdbcUsageStore store = open()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> runs = new ArrayList<>();
      for (int p = 0; p < BudgetsWorkload.PROCESSES; p++) {
        TokenTracker tracker = TokenTracker.builder(BudgetsWorkload.budgets(BudgetsWorkload.budgetsOf(p)))
            .store(store).clock(new MutableClock(BudgetsWorkload.now)).prices(BudgetsWorkload.PRICES)
            .sink(a -> alerts.computeIfAbsent(a.budgetName(), b -> new CopyOnWriteArrayList<>()).add(a.threshold()))
            .build();
        List<TokenUsageEvent> events = BudgetsWorkload.eventsOf(p);
        runs.add(pool.submit(() -> {
          go.await();
          for (TokenUsageEvent e : events) {
            tracker.track(e);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> run : runs) {
        run.get(120, TimeUnit.SECONDS);
      }
      assertExact(store, budgets);
      for (TokenBudget budget : budgets) {
        assertThat(alerts.get(budget.name())).as(budget.name() + "'s alerts").containsExactlyInAnyOrder(0.5, 0.7, 0.8,
            1.0);
      }
    } finally {
      pool.shutdownNow();
    }
    try (JdbcUsageStore store = open()) {
      assertExact(store, budgets);
    }
  }

  private static void assertExact(JdbcUsageStore store, List<TokenBudget> budgets) {
    Map<String, Counts> expected = BudgetsWorkload.expected();
    for (TokenBudget budget : budgets) {
      BudgetWindow window = BudgetsWorkload.window(budget,
          budget.period().windowOf(BudgetsWorkload.now, budget.zone()));
      assertThat(store.keepsWindow(window)).as(budget.name() + " kept").isTrue();
      assertThat(store.windowTotals(window)).as(budget.name()).isEqualTo(expected.get(budget.name()));
    }
  }

  @Test
  void aWindowOfTheV1FormatIsChargedImplicitlyOnlyOnceNamedAgainAndThenFromTheLedger() throws Exception {
    Instant start = Instant.parse("2026-05-01T00:00:00Z");
    BudgetWindow window = new BudgetWindow("team", start, Instant.parse("2026-06-01T00:00:00Z"),
        UsageFilter.models("opus-*"));
    String h2 = url() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    Flyway.configure().dataSource(h2, "sa", "").locations("classpath:db/ledger/tokenwatch").target("1")
        .table("tokenwatch_ledger_history").placeholders(Map.of("schema", "public", "prefix", "tokenwatch_",
            "sequenceCache", "CACHE 1000")).load().migrate();
    long us = LedgerTime.micros(start.plusSeconds(60));
    DimensionsKey dims = DimensionsKey.of("opus-4", null, null, "");
    try (Connection c = DriverManager.getConnection(h2, "sa", ""); Statement st = c.createStatement()) {
      st.execute("INSERT INTO tokenwatch_ledger_events VALUES (NEXT VALUE FOR tokenwatch_ledger_event_seq, 'old', "
          + us + ", 0, " + LedgerTime.bucket(start.plusSeconds(60)) + ", 'opus-4', NULL, NULL, '', 90, 10, 0, 0, 100)");
      st.execute("INSERT INTO tokenwatch_ledger_rollup VALUES (" + LedgerTime.bucket(start.plusSeconds(60)) + ", "
          + dims.high() + ", " + dims.low() + ", 'opus-4', NULL, NULL, '', 90, 10, 0, 0, 100, 1)");
      st.execute("INSERT INTO tokenwatch_ledger_window_keys VALUES (NEXT VALUE FOR tokenwatch_ledger_window_seq, '"
          + WindowIds.hash(window) + "', " + LedgerTime.micros(start) + ", " + WindowIds.ceilMicros(window) + ")");
      // V1 kept it only through the records naming it: here it missed the event (another process's budget).
      st.execute("INSERT INTO tokenwatch_ledger_window_totals SELECT id, 0, 0, 0, 0, 0, 0 FROM "
          + "tokenwatch_ledger_window_keys");
    }
    Counts old = new Counts(90, 10, 0, 0, 100, 1);
    try (JdbcUsageStore store = open()) {
      assertThat(store.history(UsageFilter.ANY, 10)).singleElement()
          .satisfies(e -> assertThat(e.hasCost()).isFalse());
      assertThat(store.query(window.query()).total()).isEqualTo(old);
      // Its scope is unknown: not kept (its totals would be stale), so the ledger's figure is given.
      assertThat(store.keepsWindow(window)).isFalse();
      assertThat(store.windowTotals(window)).isEqualTo(old);
      TokenUsageEvent priced = TokenUsageEvent.builder("opus-4").inputTokens(50).timestamp(start.plusSeconds(120))
          .costNanoUsd(7_000).build();
      store.record(List.of(priced), List.of());
      assertThat(store.keepsWindow(window)).isFalse();
      Counts both = old.plus(Counts.of(priced));
      assertThat(store.record(List.of(), List.of(window)).windowTotals()).containsExactly(both);
      assertThat(store.keepsWindow(window)).isTrue();
      TokenUsageEvent more = TokenUsageEvent.builder("opus-5").inputTokens(5).timestamp(start.plusSeconds(180))
          .build();
      store.record(List.of(more), List.of());
      assertThat(store.windowTotals(window)).isEqualTo(both.plus(Counts.of(more)))
          .isEqualTo(store.query(window.query()).total());
    }
  }
}
