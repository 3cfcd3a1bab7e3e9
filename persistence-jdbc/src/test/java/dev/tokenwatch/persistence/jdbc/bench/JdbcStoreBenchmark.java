package dev.tokenwatch.persistence.jdbc.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Events per second into {@link JdbcUsageStore}, next to the floor any correct store pays: a bare
 * JDBC loop doing one {@code UPDATE counter SET v = v + ?} and one {@code INSERT} of an event row
 * per transaction, on the same database, with statements prepared once per thread. Every event
 * has a new request id (the de-duplication path), models rotate over four.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JdbcStoreBenchmark {

  static final String BUDGET = "bench";
  static final Instant PERIOD = Instant.parse("2026-06-01T00:00:00Z");
  /** The budget's current period: every record keeps its totals, as the tracker's calls do. */
  static final List<BudgetWindow> WINDOWS = List.of(new BudgetWindow(BUDGET, PERIOD,
      Instant.parse("2026-07-01T00:00:00Z"), UsageFilter.ANY));
  static final int BATCH = 1_000;
  /** Five budgets every event falls under (the first is {@link #WINDOWS}'s): a tracker of five budgets names them all. */
  static final List<BudgetWindow> FIVE_WINDOWS = List.of(WINDOWS.get(0),
      new BudgetWindow("models", PERIOD, Instant.parse("2026-07-01T00:00:00Z"), UsageFilter.models("model-*")),
      new BudgetWindow("daily", PERIOD, PERIOD.plusSeconds(86_400), UsageFilter.ANY),
      new BudgetWindow("weekly", PERIOD, PERIOD.plusSeconds(7 * 86_400), UsageFilter.models("model-?")),
      new BudgetWindow("quarter", Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-07-01T00:00:00Z"),
          UsageFilter.ANY));

  @Param({"h2", "postgresql"})
  public String database;

  JdbcUsageStore store;
  HikariDataSource baselinePool;
  final AtomicLong ids = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    BenchDatabase db = BenchDatabase.create(database);
    store = JdbcUsageStore.builder().url(db.url).user(db.user).poolSize(4).build();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("h2".equals(database) ? h2Url(db.url) : db.url);
    config.setUsername(db.user);
    config.setMaximumPoolSize(4);
    config.setAutoCommit(false);
    baselinePool = new HikariDataSource(config);
    try (Connection c = baselinePool.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE bench_counter (id INT PRIMARY KEY, v BIGINT NOT NULL)");
      st.execute("INSERT INTO bench_counter VALUES (1, 0)");
      st.execute("CREATE TABLE bench_events (id BIGINT PRIMARY KEY, budget VARCHAR(100) NOT NULL, "
          + "request_id VARCHAR(500), model VARCHAR(200) NOT NULL, total_tokens BIGINT NOT NULL, "
          + "occurred_at TIMESTAMP WITH TIME ZONE NOT NULL, UNIQUE (budget, request_id))");
      c.commit();
    }
  }

  /** The same H2 settings the store adds, so the baseline opens the very database the store has open. */
  private static String h2Url(String url) {
    return url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;FILE_LOCK=FS;DB_CLOSE_ON_EXIT=FALSE";
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    baselinePool.close();
  }

  TokenUsageEvent nextEvent() {
    return event(ids.incrementAndGet());
  }

  static TokenUsageEvent event(long id) {
    return TokenUsageEvent.builder("model-" + (id & 3)).inputTokens(120).outputTokens(30)
        .timestamp(PERIOD.plusMillis(id)).requestId("req-" + id).build();
  }

  /** One baseline connection per thread with its statements prepared once. */
  @State(Scope.Thread)
  public static class BaselineConnection {
    Connection connection;
    PreparedStatement update;
    PreparedStatement insert;
    /** H2 only: the store's step after every write. */
    PreparedStatement forceToDisk;

    @Setup(Level.Trial)
    public void open(JdbcStoreBenchmark bench) throws SQLException {
      connection = bench.baselinePool.getConnection();
      if ("h2".equals(bench.database)) {
        forceToDisk = connection.prepareStatement("CHECKPOINT SYNC");
      }
      update = connection.prepareStatement("UPDATE bench_counter SET v = v + ? WHERE id = 1");
      insert = connection.prepareStatement("INSERT INTO bench_events (id, budget, request_id, model, total_tokens, "
          + "occurred_at) VALUES (?, ?, ?, ?, ?, ?)");
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      connection.close();
    }

    long run(TokenUsageEvent e, long id) throws SQLException {
      update.setLong(1, e.totalTokens());
      update.executeUpdate();
      insert.setLong(1, id);
      insert.setString(2, BUDGET);
      insert.setString(3, e.requestId());
      insert.setString(4, e.model());
      insert.setLong(5, e.totalTokens());
      insert.setObject(6, OffsetDateTime.ofInstant(e.timestamp(), ZoneOffset.UTC));
      insert.executeUpdate();
      connection.commit();
      return id;
    }
  }

  @Benchmark
  public RecordResult recordSingle() {
    return store.record(List.of(nextEvent()), WINDOWS);
  }

  /** One event under five budgets, all named (one tracker configured with the five). */
  @Benchmark
  public RecordResult recordFiveBudgets() {
    return store.record(List.of(nextEvent()), FIVE_WINDOWS);
  }

  /** Four of the five budgets kept by an earlier call (other processes' budgets), before a trial. */
  @State(Scope.Benchmark)
  public static class OthersKept {
    @Setup(Level.Trial)
    public void keep(JdbcStoreBenchmark bench) {
      bench.store.record(List.of(), FIVE_WINDOWS.subList(1, FIVE_WINDOWS.size()));
    }
  }

  /** One event under five budgets of which the call names one: the store charges the four it keeps. */
  @Benchmark
  public RecordResult recordOneOfFiveKept(OthersKept others) {
    return store.record(List.of(nextEvent()), WINDOWS);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public RecordResult recordBatch1000() {
    List<TokenUsageEvent> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      batch.add(nextEvent());
    }
    return store.record(batch, WINDOWS);
  }

  @Benchmark
  @Threads(4)
  public RecordResult recordFourWriters() {
    return store.record(List.of(nextEvent()), WINDOWS);
  }

  @Benchmark
  public long baselineSingle(BaselineConnection baseline) throws SQLException {
    long id = ids.incrementAndGet();
    return baseline.run(event(id), id);
  }

  @Benchmark
  @Threads(4)
  public long baselineFourWriters(BaselineConnection baseline) throws SQLException {
    long id = ids.incrementAndGet();
    return baseline.run(event(id), id);
  }

  /**
   * The baseline made as durable as the store: on H2, {@code CHECKPOINT SYNC} after each commit (the
   * store's step after every write); on PostgreSQL the plain baseline (its commit is the durable step).
   */
  @Benchmark
  public long baselineSingleDurable(BaselineConnection baseline) throws SQLException {
    long id = ids.incrementAndGet();
    long result = baseline.run(event(id), id);
    if (baseline.forceToDisk != null) {
      baseline.forceToDisk.execute();
    }
    return result;
  }

  /** {@link #baselineSingleDurable} with 4 threads. */
  @Benchmark
  @Threads(4)
  public long baselineFourWritersDurable(BaselineConnection baseline) throws SQLException {
    return baselineSingleDurable(baseline);
  }
}
