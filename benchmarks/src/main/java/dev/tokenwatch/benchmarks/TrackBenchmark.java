package dev.tokenwatch.benchmarks;

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
 * plus an array store ("count and remember"). Whether the audit log is on is chosen by the Log4j2
 * configuration the fork starts with (see {@code bench/run.sh}): {@code log4j2-audit-off.xml} or the
 * app's own {@code log4j2.xml}, which writes the audit log as JSON lines to a file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TrackBenchmark {

  private static final Instant NOW = Instant.parse("2026-11-15T10:00:00Z");

  private TokenTracker tracker;
  private TokenUsageEvent event;

  private final AtomicLong counter = new AtomicLong();
  private final long[] remembered = new long[1024];

  @Setup
  public void setUp() {
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
