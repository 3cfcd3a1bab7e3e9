package dev.tokenwatch.benchmarks.ingest;

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
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class IngestBenchmark {

  /** The corpus and a scratch directory, shared by every benchmark. */
  @State(Scope.Benchmark)
  public static class Corpus {
    @Param("256")
    public int corpusMb;

    /** How many budgets (all matching every event): 1, or 5 of several periods and scopes. */
    @Param("1")
    public int budgets;

    Path logs;
    Path work;
    long expectedTotal;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      expectedTotal = BenchCorpus.ensure(corpusMb)[2];
      logs = BenchCorpus.logs(corpusMb);
      work = Files.createTempDirectory("tokenwatch-bench-");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      try (Stream<Path> files = Files.walk(work)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }

    TokenTracker tracker(UsageStore usageStore) {
      return TokenTracker.builder(BenchmarkBudgets.matchingEveryEvent(budgets)).store(usageStore).build();
    }

    void check(long tokensAdded) {
      if (tokensAdded != expectedTotal) {
        throw new IllegalStateException("ingest added " + tokensAdded + " tokens, the corpus holds " + expectedTotal);
      }
    }
  }

  /** Which store to ingest into; a state of its own so the baseline runs once, not once per store. */
  @State(Scope.Benchmark)
  public static class Store {
    @Param("memory")
    public String store;
  }

  /** An empty store and no offsets, new for every first-ingest operation. */
  @State(Scope.Thread)
  public static class Fresh {
    UsageStore usageStore;
    TokenTracker tracker;
    Path state;
    Path dir;

    @Setup(Level.Invocation)
    public void setUp(Corpus corpus, Store store) throws IOException {
      dir = Files.createTempDirectory(corpus.work, "run-");
      usageStore = BenchmarkStores.create(store.store, Files.createDirectories(dir.resolve("store")));
      tracker = corpus.tracker(usageStore);
      state = dir.resolve("state");
    }

    @TearDown(Level.Invocation)
    public void tearDown() throws IOException {
      usageStore.close();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** A store and offsets that already hold the whole corpus. */
  @State(Scope.Benchmark)
  public static class Warm {
    UsageStore usageStore;
    TokenTracker tracker;
    Path state;

    @Setup(Level.Trial)
    public void setUp(Corpus corpus, Store store) throws IOException {
      state = corpus.work.resolve("warm-state-" + store.store);
      usageStore = BenchmarkStores.create(store.store, Files.createDirectories(corpus.work.resolve("warm-store-" + store.store)));
      tracker = corpus.tracker(usageStore);
      IngestSummary first = Ingestor.builder(tracker).stateDirectory(state).build()
          .ingest(List.of(corpus.logs.toString()));
      corpus.check(first.tokensAdded());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      usageStore.close();
    }
  }

  /** Baseline: read the same files with the same buffer size, counting line breaks. */
  @Benchmark
  public long bareRead(Corpus corpus) throws IOException {
    byte[] buf = new byte[1 << 20];
    long lines = 0;
    try (Stream<Path> walk = Files.walk(corpus.logs)) {
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
  public IngestSummary firstIngest(Corpus corpus, Fresh fresh) {
    IngestSummary summary = Ingestor.builder(fresh.tracker).stateDirectory(fresh.state).build()
        .ingest(List.of(corpus.logs.toString()));
    corpus.check(summary.tokensAdded());
    return summary;
  }

  @Benchmark
  public IngestSummary reIngest(Corpus corpus, Warm warm) {
    IngestSummary summary = Ingestor.builder(warm.tracker).stateDirectory(warm.state).build()
        .ingest(List.of(corpus.logs.toString()));
    if (summary.lines() != 0) {
      throw new IllegalStateException("re-ingest of an unchanged tree read " + summary.lines() + " lines");
    }
    return summary;
  }
}
