package dev.tokenwatch.ingest.bench;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.ingest.IngestSummary;
import dev.tokenwatch.ingest.Ingestor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
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

/**
 * Ingest of a generated Claude Code corpus: a first ingest (empty store, empty offsets), a re-run
 * over the unchanged tree, and the baseline, a bare read of the same bytes counting lines. Each
 * operation handles the whole corpus; MB/s = corpus bytes / seconds per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class IngestBenchmark {

  @Param("256")
  public int corpusMb;

  @Param("memory")
  public String store;

  private Path logs;
  private Path work;
  private long expectedTotal;
  // first ingest: fresh per invocation
  private TokenTracker freshTracker;
  private UsageStore freshStore;
  private Path freshState;
  // re-ingest: one tracker and state, fully ingested once in setup
  private TokenTracker warmTracker;
  private UsageStore warmStore;
  private Path warmState;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    expectedTotal = BenchCorpus.ensure(corpusMb)[2];
    logs = BenchCorpus.logs(corpusMb);
    work = Files.createTempDirectory("tokenwatch-bench-");
    warmState = work.resolve("warm-state");
    warmStore = BenchmarkStores.create(store, Files.createDirectories(work.resolve("warm-store")));
    warmTracker = tracker(warmStore);
    IngestSummary first = Ingestor.builder(warmTracker).stateDirectory(warmState).build().ingest(List.of(logs.toString()));
    check(first.tokensAdded());
  }

  @Setup(Level.Invocation)
  public void freshRun() throws IOException {
    Path dir = Files.createTempDirectory(work, "run-");
    freshStore = BenchmarkStores.create(store, Files.createDirectories(dir.resolve("store")));
    freshTracker = tracker(freshStore);
    freshState = dir.resolve("state");
  }

  @TearDown(Level.Invocation)
  public void closeFresh() {
    freshStore.close();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    warmStore.close();
    try (Stream<Path> files = Files.walk(work)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static TokenTracker tracker(UsageStore store) {
    return TokenTracker.builder(TokenBudget.of(Long.MAX_VALUE / 4, BudgetPeriod.MONTHLY)).store(store).build();
  }

  private void check(long tokensAdded) {
    if (tokensAdded != expectedTotal) {
      throw new IllegalStateException("ingest added " + tokensAdded + " tokens, the corpus holds " + expectedTotal);
    }
  }

  /** Baseline: read the same files with the same buffer size, counting line breaks. */
  @Benchmark
  public long bareRead() throws IOException {
    byte[] buf = new byte[1 << 20];
    long lines = 0;
    try (Stream<Path> walk = Files.walk(logs)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        try (FileChannel channel = FileChannel.open(file)) {
          int n;
          while ((n = channel.read(ByteBuffer.wrap(buf))) > 0) {
            for (int i = 0; i < n; i++) {
              if (buf[i] == '\n') {
                lines++;
              }
            }
          }
        }
      }
    }
    return lines;
  }

  @Benchmark
  public IngestSummary firstIngest() {
    IngestSummary summary = Ingestor.builder(freshTracker).stateDirectory(freshState).build()
        .ingest(List.of(logs.toString()));
    check(summary.tokensAdded());
    return summary;
  }

  @Benchmark
  public IngestSummary reIngest() {
    IngestSummary summary = Ingestor.builder(warmTracker).stateDirectory(warmState).build()
        .ingest(List.of(logs.toString()));
    if (summary.lines() != 0) {
      throw new IllegalStateException("re-ingest of an unchanged tree read " + summary.lines() + " lines");
    }
    return summary;
  }
}
