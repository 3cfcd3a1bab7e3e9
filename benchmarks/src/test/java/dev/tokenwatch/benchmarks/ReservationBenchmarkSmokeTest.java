package dev.tokenwatch.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Proves {@link ReservationBenchmark} runs on each store: one in-process iteration of a few milliseconds each. */
class ReservationBenchmarkSmokeTest {

  @Test
  void everyBenchmarkExecutes() throws Exception {
    Options options = new OptionsBuilder()
        .include(ReservationBenchmark.class.getName() + "\\.")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(20))
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    assertThat(results).hasSize(4); // 2 methods, 2 stores
    assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
  }
}
