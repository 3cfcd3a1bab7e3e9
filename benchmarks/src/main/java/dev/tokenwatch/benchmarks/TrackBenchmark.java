package dev.tokenwatch.benchmarks;

import dev.tokenwatch.app.logging.AppLogging;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackResult;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@link TokenTracker#track} on the in-memory store, next to its floor: an {@code AtomicLong} add
 * plus an array store ("count and remember"). Logging is the application's own ({@link AppLogging}),
 * with the audit log on or off as the fork's system property {@value #AUDIT_PROPERTY} says ({@code on}
 * by default): on, every event is one JSON line in {@code <tokenwatch.stateDir>/audit.jsonl}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TrackBenchmark {

  /** System property: {@code off} turns the audit log off. */
  public static final String AUDIT_PROPERTY = "tokenwatch.bench.audit";

  private static final Instant NOW = Instant.parse("2026-11-15T10:00:00Z");

  private TokenTracker tracker;
  private TokenUsageEvent event;

  private final AtomicLong counter = new AtomicLong();
  private final long[] remembered = new long[1024];

  @Setup
  public void setUp() {
    AppLogging.start(!"off".equals(System.getProperty(AUDIT_PROPERTY)));
    // A limit no benchmark reaches, so thresholds stay quiet and the hot path is measured.
    TokenBudget budget = TokenBudget.builder().limit(Long.MAX_VALUE / 2).period(BudgetPeriod.MONTHLY).build();
    tracker = TokenTracker.builder(budget).store(new InMemoryUsageStore()).clock(() -> NOW).build();
    event = TokenUsageEvent.builder("gpt-4o").inputTokens(1200).outputTokens(300).timestamp(NOW).build();
  }

  @Benchmark
  @Threads(1)
  public TrackResult track1Thread() {
    return tracker.track(event);
  }

  @Benchmark
  @Threads(2)
  public TrackResult track2Threads() {
    return tracker.track(event);
  }

  @Benchmark
  @Threads(1)
  public long baseline1Thread() {
    return countAndRemember();
  }

  @Benchmark
  @Threads(2)
  public long baseline2Threads() {
    return countAndRemember();
  }

  private long countAndRemember() {
    long total = counter.addAndGet(event.totalTokens());
    remembered[(int) (total & (remembered.length - 1))] = total;
    return total;
  }
}
