package dev.tokenwatch.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.benchmarks.ingest.IngestBenchmark;
import dev.tokenwatch.benchmarks.ingest.IngestBenchmarkMain;
import java.nio.file.Path;
import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs every benchmark once on a 1 MB corpus, in this JVM, so the build proves they execute. */
class IngestBenchmarkSmokeTest {

  @TempDir Path dir;

  @Test
  void everyBenchmarkRuns() throws Exception {
    System.setProperty("tokenwatch.bench.dir", dir.toString());
    try {
      Collection<RunResult> results = new Runner(new OptionsBuilder()
          .include(IngestBenchmark.class.getName())
          .param("corpusMb", "1")
          .param("store", "memory", "file", "h2")
          .forks(0)
          .mode(Mode.SingleShotTime)
          .warmupIterations(0)
          .measurementIterations(1)
          .build()).run();
      assertThat(results).extracting(r -> r.getParams().getBenchmark().replaceAll(".*\\.", ""))
          .containsExactlyInAnyOrder("bareRead", "firstIngest", "firstIngest", "firstIngest",
              "reIngest", "reIngest", "reIngest");
      assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
      assertThat(IngestBenchmarkMain.class).isNotNull();
    } finally {
      System.clearProperty("tokenwatch.bench.dir");
    }
  }
}
