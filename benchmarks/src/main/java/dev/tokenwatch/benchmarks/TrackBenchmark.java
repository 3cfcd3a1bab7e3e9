package dev.tokenwatch.benchmarks;

import dev.tokenwatch.app.audit.FileAuditTrail;
import dev.tokenwatch.app.logging.AppLogging;
import dev.tokenwatch.benchmarks.ingest.BenchmarkBudgets;
import dev.tokenwatch.benchmarks.ingest.BenchmarkStores;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackResult;
import dev.tokenwatch.domain.port.UsageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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

/**
 * {@link TokenTracker#track} on the in-memory or the file store, with the application's audit trail
 * ({@link FileAuditTrail}: one JSON line written to {@code audit.jsonl} per event) on or off, next to
 * the floor of "count and remember": an {@code AtomicLong} add plus an array store.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TrackBenchmark {

  private static final Instant NOW = Instant.parse("2026-11-15T10:00:00Z");

  /** {@code memory} or {@code file} (as {@link BenchmarkStores} names them). */
  @Param({"memory", "file"})
  public String store;

  /** {@code on}: every event goes to the audit trail; {@code off}: no audit trail. */
  @Param({"off", "on"})
  public String audit;

  /** How many budgets the event falls under: 1, or 5 (several periods and scopes, all matching). */
  @Param({"1"})
  public int budgets;

  private Path dir;
  private UsageStore usageStore;
  private FileAuditTrail trail;
  private TokenTracker tracker;
  private TokenUsageEvent event;

  private final AtomicLong counter = new AtomicLong();
  private final long[] remembered = new long[1024];

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    AppLogging.start();
    dir = Files.createTempDirectory("tokenwatch-track-bench");
    if (audit.equals("on")) {
      trail = FileAuditTrail.in(dir.resolve("state"));
    } else if (!audit.equals("off")) {
      throw new IllegalArgumentException("audit must be on or off, got " + audit);
    }
    usageStore = BenchmarkStores.create(store, dir.resolve("store"));
    tracker = newTracker();
    event = TokenUsageEvent.builder("gpt-4o").inputTokens(1200).outputTokens(300).timestamp(NOW).build();
  }

  /**
   * The in-memory store keeps every event (about 70 bytes each): a fresh one per iteration, so an
   * iteration measures tracking into a store of up to some tens of millions of events rather than
   * an ever-growing heap across the run.
   */
  @Setup(Level.Iteration)
  public void freshMemoryStore() {
    if (store.equals("memory")) {
      usageStore = BenchmarkStores.create(store, dir.resolve("store"));
      tracker = newTracker();
    }
  }

  private TokenTracker newTracker() {
    TokenTracker.Builder builder = TokenTracker.builder(BenchmarkBudgets.matchingEveryEvent(budgets)).store(usageStore).clock(() -> NOW);
    if (trail != null) {
      builder.auditTrail(trail);
    }
    return builder.build();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    usageStore.close();
    if (trail != null) {
      trail.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
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
