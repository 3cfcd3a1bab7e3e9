package dev.tokenwatch.integration.langchain4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Proves each benchmark runs: a few milliseconds each, in this JVM. Measures nothing. */
class BenchmarkSmokeTest {

  @Test
  void everyBenchmarkRuns() throws Exception {
    // JMH allows one run per machine (/tmp/jmh.lock); a smoke run measures nothing, so it may
    // overlap with other builds' runs
    System.setProperty("jmh.ignoreLock", "true");
    Collection<RunResult> results = new Runner(new OptionsBuilder()
        .include(ListenerBenchmark.class.getName())
        .include(AdmissionBenchmark.class.getName())
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1).measurementTime(TimeValue.milliseconds(20))
        .verbosity(VerboseMode.SILENT)
        .build()).run();

    assertThat(results).hasSize(11);
    assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
  }

  @Test
  void theCpuTimeHarnessRuns() throws Exception {
    CpuTimeMain.main(new String[] {"1", "10"});
  }
}
