package dev.tokenwatch.notifier.slack.bench;

import dev.tokenwatch.domain.testing.ForkClassPath;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the Slack benchmarks (1 fork, 3 × 1 s warm-up, 5 × 1 s measurement). Run it
 * with the test class path of this module and the domain's {@code target} classes, as the
 * module's README shows ({@code exec:java} with {@code -am} would also run on the parent project).
 */
public final class BenchmarkMain {

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    ForkClassPath.exposeTo(BenchmarkMain.class);
    new Runner(new OptionsBuilder()
        .include(SlackSinkBenchmark.class.getName())
        .forks(1)
        .warmupIterations(3).warmupTime(TimeValue.seconds(1))
        .measurementIterations(5).measurementTime(TimeValue.seconds(1))
        .build()).run();
  }

}
