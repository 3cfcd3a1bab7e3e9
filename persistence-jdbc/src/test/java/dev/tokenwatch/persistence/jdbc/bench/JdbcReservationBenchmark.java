package dev.tokenwatch.persistence.jdbc.bench;

import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TrackResult;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.reservation.CommitResult;
import dev.tokenwatch.domain.reservation.Hold;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.testing.MutableClock;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Calls per second of a reserved call ({@code reserve} then {@code commit} of its one event) against
 * a plain record of one event, on the same store kind in the same run: in the store ({@link
 * JdbcUsageStore}'s operations) and through a {@link TokenTracker} with one hard budget. The limit
 * is never reached (every reservation is granted); every event has a new request id. Run with
 * {@link #main} (prints the table of ratios).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JdbcReservationBenchmark {

  static final Instant NOW = JdbcStoreBenchmark.PERIOD.plusSeconds(10 * 86_400);

  @Param({"h2", "postgresql"})
  public String database;

  JdbcUsageStore store;
  TokenTracker tracker;
  final AtomicLong ids = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() {
    BenchDatabase db = BenchDatabase.create(database);
    store = JdbcUsageStore.builder().url(db.url).user(db.user).poolSize(4).build();
    TokenBudget hard = TokenBudget.builder().name(JdbcStoreBenchmark.BUDGET).limit(Long.MAX_VALUE / 4)
        .period(BudgetPeriod.MONTHLY).zone(ZoneOffset.UTC).mode(BudgetMode.HARD).build();
    tracker = TokenTracker.builder(List.of(hard)).store(store).clock(new MutableClock(NOW)).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
  }

  private ReservationRequest request(long id) {
    return new ReservationRequest("bench-" + id, NOW.plusSeconds(600), List.of(new Hold(
        JdbcStoreBenchmark.WINDOWS.get(0), BudgetUnit.TOKENS, Long.MAX_VALUE / 4, 200)));
  }

  @Benchmark
  public RecordResult recordSingle() {
    return store.record(List.of(JdbcStoreBenchmark.event(ids.incrementAndGet())), JdbcStoreBenchmark.WINDOWS);
  }

  @Benchmark
  public CommitResult reserveCommit() {
    long id = ids.incrementAndGet();
    if (!store.reserve(request(id), NOW).granted()) {
      throw new IllegalStateException("refused");
    }
    return store.commit("bench-" + id, List.of(JdbcStoreBenchmark.event(id)), JdbcStoreBenchmark.WINDOWS, NOW);
  }

  @Benchmark
  @Threads(4)
  public RecordResult recordFourWriters() {
    return recordSingle();
  }

  @Benchmark
  @Threads(4)
  public CommitResult reserveCommitFourWriters() {
    return reserveCommit();
  }

  @Benchmark
  public TrackResult trackSingle() {
    return tracker.track(JdbcStoreBenchmark.event(ids.incrementAndGet()));
  }

  @Benchmark
  public TrackResult trackerReserveCommit() {
    TokenUsageEvent event = JdbcStoreBenchmark.event(ids.incrementAndGet());
    return tracker.reserve(event.model(), 200).commit(event);
  }

  /**
   * Runs the benchmarks (-Dbench.databases, -Dbench.warmupIterations, -Dbench.iterations,
   * -Dbench.seconds as for {@link JdbcBenchmarkMain}) and prints each reserved call's rate against
   * its plain counterpart.
   */
  public static void main(String[] args) throws RunnerException {
    System.setProperty("jmh.ignoreLock", "true");
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(JdbcReservationBenchmark.class.getName() + "\\.(" + System.getProperty("bench.include", ".*") + ")$")
        .forks(1)
        .warmupIterations(Integer.getInteger("bench.warmupIterations", 4))
        .warmupTime(TimeValue.seconds(Integer.getInteger("bench.seconds", 3)))
        .measurementIterations(Integer.getInteger("bench.iterations", 3))
        .measurementTime(TimeValue.seconds(Integer.getInteger("bench.seconds", 3)));
    String databases = System.getProperty("bench.databases");
    if (databases != null) {
      options.param("database", databases.split(","));
    }
    System.out.println(table(new Runner(options.build()).run()));
  }

  /** Each reserved call's rate next to its plain counterpart's from the same run, and the ratio. */
  static String table(Collection<RunResult> results) {
    Map<String, Double> score = new TreeMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      score.put(r.getParams().getParam("database") + "/" + name.substring(name.lastIndexOf('.') + 1),
          r.getPrimaryResult().getScore());
    }
    String[][] pairs = {{"reserveCommit", "recordSingle", "store: reserve + commit vs record"},
        {"reserveCommitFourWriters", "recordFourWriters", "store, 4 threads: reserve + commit vs record"},
        {"trackerReserveCommit", "trackSingle", "tracker: reserve + commit vs track"}};
    StringBuilder out = new StringBuilder("| database | calls | reserved calls/s | plain calls/s | ratio |\n"
        + "|---|---|---:|---:|---:|\n");
    for (String db : new String[] {"h2", "postgresql"}) {
      for (String[] pair : pairs) {
        Double reserved = score.get(db + "/" + pair[0]);
        Double plain = score.get(db + "/" + pair[1]);
        if (reserved != null && plain != null) {
          out.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.2fx |%n", db, pair[2], reserved, plain,
              reserved / plain));
        }
      }
    }
    return out.toString();
  }

  /** A few milliseconds of each benchmark in this JVM (the smoke test). */
  static String smoke() throws RunnerException {
    System.setProperty("jmh.ignoreLock", "true");
    return table(new Runner(new OptionsBuilder().include(JdbcReservationBenchmark.class.getName()).forks(0)
        .warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(50))
        .shouldFailOnError(true).build()).run());
  }
}
