package dev.tokenwatch.integration.langchain4j.bench;

import dev.tokenwatch.domain.testing.ForkClassPath;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the listener and admission benchmarks (1 fork, 3 × 1 s warm-up, 5 × 1 s measurement); an argument
 * narrows them to the methods matching it (a regular expression):
 *
 * <pre>mvn -B -pl integration-langchain4j -am test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.tokenwatch.integration.langchain4j.bench.BenchmarkMain</pre>
 */
public final class BenchmarkMain {

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    ForkClassPath.exposeTo(BenchmarkMain.class);
    new Runner(new OptionsBuilder()
        .include(BenchmarkMain.class.getPackageName() + ".\\w+Benchmark" + (args.length > 0 ? "." + args[0] : ""))
        .forks(1)
        .warmupIterations(3).warmupTime(TimeValue.seconds(1))
        .measurementIterations(5).measurementTime(TimeValue.seconds(1))
        .build()).run();
  }

}
