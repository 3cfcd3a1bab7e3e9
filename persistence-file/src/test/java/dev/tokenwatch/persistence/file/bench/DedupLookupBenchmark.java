package dev.tokenwatch.persistence.file.bench;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.persistence.file.FileUsageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

/**
 * De-duplication lookups: a store whose snapshot file holds {@code fileIds} request ids and whose
 * memory holds {@code memoryIds} more (recorded since the snapshot). Each operation records a batch
 * of 1,000 events that are all duplicates, so nothing is written or forced and the score is the cost
 * of the lookups (plus locking and catching up). The baseline is the same batch of ids held in
 * memory, which is how the store kept every id before the de-duplication file. Scores are events
 * per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DedupLookupBenchmark {

  private static final Instant PERIOD = Instant.parse("2026-01-01T00:00:00Z");
  static final int BATCH = 1_000;

  @Param("200000")
  public int fileIds;

  @Param("50000")
  public int memoryIds;

  private Path directory;
  private FileUsageStore store;
  private List<List<ChargedEvent>> inFile;
  private List<List<ChargedEvent>> inMemory;
  private int next;

  @Setup(Level.Trial)
  public void open() throws IOException {
    directory = Files.createTempDirectory("tokenwatch-bench");
    // Compaction only by the id cap: it moves every file id to the file before the memory ids come.
    store = FileUsageStore.builder(directory.resolve("store")).compactAfterIds(fileIds)
        .compactAfterBytes(1L << 40).build();
    inFile = batches("f-", fileIds);
    inMemory = batches("m-", memoryIds);
    for (List<ChargedEvent> batch : inFile) {
      store.record("bench", PERIOD, batch, 100);
    }
    for (List<ChargedEvent> batch : inMemory) {
      store.record("bench", PERIOD, batch, 100);
    }
  }

  private static List<List<ChargedEvent>> batches(String prefix, int ids) {
    List<List<ChargedEvent>> batches = new ArrayList<>();
    for (int start = 0; start < ids; start += BATCH) {
      List<ChargedEvent> batch = new ArrayList<>(BATCH);
      for (int i = start; i < Math.min(ids, start + BATCH); i++) {
        batch.add(new ChargedEvent(TokenUsageEvent.builder("claude-sonnet-4").inputTokens(1200).outputTokens(350)
            .timestamp(PERIOD.plusMillis(i)).requestId(prefix + i).build(), PERIOD));
      }
      batches.add(batch);
    }
    return batches;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static RecordResult duplicates(FileUsageStore store, List<ChargedEvent> batch) {
    RecordResult result = store.record("bench", PERIOD, batch, 100);
    if (result.duplicates() != batch.size()) {
      throw new IllegalStateException("expected only duplicates, got " + result);
    }
    return result;
  }

  /** The baseline: 1,000 ids recorded since the snapshot, found in the in-memory map. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public RecordResult duplicatesInMemory() {
    return duplicates(store, inMemory.get(next++ % inMemory.size()));
  }

  /** 1,000 ids in the snapshot's file: filter, index, one block read each. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public RecordResult duplicatesInFile() {
    return duplicates(store, inFile.get(next++ % inFile.size()));
  }
}
