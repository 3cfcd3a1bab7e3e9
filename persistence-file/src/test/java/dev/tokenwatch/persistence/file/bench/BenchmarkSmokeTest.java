package dev.tokenwatch.persistence.file.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs every benchmark for a moment in this JVM, proving they execute; the numbers mean nothing here. */
class BenchmarkSmokeTest {

  @TempDir
  Path directory;

  @Test
  void everyBenchmarkRuns() throws Exception {
    // JMH's /tmp/jmh.lock keeps real measurements apart; a smoke run measures nothing, so it may
    // run next to another JMH run (other modules' smoke tests, a benchmark in progress).
    System.setProperty("jmh.ignoreLock", "true");
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(FileStoreBenchmark.class.getName() + "\\.")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1).measurementTime(TimeValue.milliseconds(50))
        .shouldFailOnError(true)
        .build()).run();

    assertThat(results).extracting(r -> r.getParams().getBenchmark().replaceAll(".*\\.", ""))
        .containsExactlyInAnyOrder("baselineForcedAppend", "recordOne", "recordOneFiveBudgets", "recordBatch1000",
            "recordOneFourThreads");
    assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
    assertThat(BenchmarkMain.table(results)).contains("| recordOne |").contains("1.00x");
  }

  @Test
  void interleavedComparisonRuns() throws Exception {
    assertThat(InterleavedMain.run(0.05, 0, 2)).contains("| baselineForcedAppend |").contains("| recordOne |");
  }

  @Test
  void memoryMainRuns() {
    Path dir = directory.resolve("store");
    assertThat(LedgerMemoryMain.run("ingest", dir, 2_500)).startsWith("ingested 2500 events");
    assertThat(LedgerMemoryMain.run("query", dir, 0)).contains("2500 calls").contains("history 100");
  }
}
