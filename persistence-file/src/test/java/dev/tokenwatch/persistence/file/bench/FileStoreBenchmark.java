package dev.tokenwatch.persistence.file.bench;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.persistence.file.FileUsageStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable writes of the file store against the disk's physical limit: a bare loop that appends a
 * 200-byte record and forces it ({@link #baselineForcedAppend}). Scores are events per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FileStoreBenchmark {

  private static final Instant PERIOD = Instant.parse("2026-01-01T00:00:00Z");
  /** The current period of a budget, as {@code TokenTracker} passes it with every record. */
  private static final List<BudgetWindow> WINDOWS =
      List.of(new BudgetWindow("bench", PERIOD, Instant.parse("2026-02-01T00:00:00Z"), UsageFilter.ANY));
  /**
   * The current periods of 5 budgets that all charge the benchmark's events (as a tracker of 5
   * budgets passes them): two of every model, three of some Claude models.
   */
  private static final List<BudgetWindow> FIVE_WINDOWS = List.of(WINDOWS.get(0),
      new BudgetWindow("bench-usd", PERIOD, Instant.parse("2026-02-01T00:00:00Z"), UsageFilter.ANY),
      new BudgetWindow("claude", PERIOD, Instant.parse("2026-02-01T00:00:00Z"), UsageFilter.models("claude-*")),
      new BudgetWindow("sonnet", PERIOD, Instant.parse("2026-02-01T00:00:00Z"), UsageFilter.models("claude-sonnet-*")),
      new BudgetWindow("sonnet-4", PERIOD, Instant.parse("2026-02-01T00:00:00Z"), UsageFilter.models("claude-sonnet-4")));
  private static final int BATCH = 1_000;

  private final AtomicLong ids = new AtomicLong();
  private Path directory;
  private FileUsageStore store;
  private FileChannel baseline;
  private ByteBuffer record;

  @Setup(Level.Trial)
  public void open() throws IOException {
    directory = Files.createTempDirectory("tokenwatch-bench");
    store = new FileUsageStore(directory.resolve("store"));
    baseline = FileChannel.open(directory.resolve("baseline.log"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    byte[] bytes = new byte[200];
    java.util.Arrays.fill(bytes, (byte) 'x');
    bytes[199] = '\n';
    record = ByteBuffer.wrap(bytes);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    baseline.close();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private TokenUsageEvent nextEvent() {
    long id = ids.incrementAndGet();
    return TokenUsageEvent.builder("claude-sonnet-4").inputTokens(1200).outputTokens(350)
        .cacheReadTokens(4000).timestamp(PERIOD.plusMillis(id)).requestId("req-" + id).build();
  }

  /** The physical limit: one 200-byte append and one force per operation. */
  @Benchmark
  public int baselineForcedAppend() throws IOException {
    record.rewind();
    int n = baseline.write(record);
    baseline.force(false);
    return n;
  }

  /** One durable {@code record} of one event from one thread. */
  @Benchmark
  public RecordResult recordOne() {
    return store.record(List.of(nextEvent()), WINDOWS);
  }

  /** As {@link #recordOne}, with the windows of 5 budgets that all charge the event (compare with recordOne). */
  @Benchmark
  public RecordResult recordOneFiveBudgets() {
    return store.record(List.of(nextEvent()), FIVE_WINDOWS);
  }

  /** Durable {@code record} of 1,000 events at once; the score counts events. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public RecordResult recordBatch1000() {
    List<TokenUsageEvent> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      batch.add(nextEvent());
    }
    return store.record(batch, WINDOWS);
  }

  /** One event per call from four threads of one process: group commit shares the forces. */
  @Benchmark
  @Threads(4)
  public RecordResult recordOneFourThreads() {
    return store.record(List.of(nextEvent()), WINDOWS);
  }
}
