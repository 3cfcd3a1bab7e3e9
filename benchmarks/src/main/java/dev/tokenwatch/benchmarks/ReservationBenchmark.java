package dev.tokenwatch.benchmarks;

import dev.tokenwatch.benchmarks.ingest.BenchmarkBudgets;
import dev.tokenwatch.benchmarks.ingest.BenchmarkStores;
import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.Reservation;
import dev.tokenwatch.domain.TokenBudget;
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
 * A call under a hard budget: {@link TokenTracker#reserve} then {@link Reservation#commit}
 * ({@code reserveCommit}), against its baseline, a plain {@link TokenTracker#track} of the same
 * event by the same tracker on the same store ({@code track}). The limit is never reached, so
 * every reservation is granted. Scores are calls a second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReservationBenchmark {

  private static final Instant NOW = Instant.parse("2026-11-15T10:00:00Z");

  /** A store as {@link BenchmarkStores} names it. */
  @Param({"memory", "file"})
  public String store;

  private Path dir;
  private UsageStore usageStore;
  private TokenTracker tracker;
  private TokenUsageEvent event;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("tokenwatch-reservation-bench");
    event = TokenUsageEvent.builder("gpt-4o").inputTokens(1200).outputTokens(300).timestamp(NOW).build();
    open();
  }

  /** The in-memory store keeps every event: a fresh one per iteration (as in {@link TrackBenchmark}). */
  @Setup(Level.Iteration)
  public void freshMemoryStore() {
    if (store.equals("memory")) {
      usageStore.close();
      open();
    }
  }

  private void open() {
    usageStore = BenchmarkStores.create(store, dir.resolve("store"));
    TokenBudget hard = BenchmarkBudgets.matchingEveryEvent(1).get(0).toBuilder().mode(BudgetMode.HARD).build();
    tracker = TokenTracker.builder(hard).store(usageStore).clock(() -> NOW).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    usageStore.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  @Threads(1)
  public TrackResult track() {
    return tracker.track(event);
  }

  @Benchmark
  @Threads(1)
  public TrackResult reserveCommit() {
    Reservation reservation = tracker.reserve(event);
    return reservation.commit(event);
  }
}
