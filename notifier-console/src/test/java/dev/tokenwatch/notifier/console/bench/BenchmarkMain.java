package dev.tokenwatch.notifier.console.bench;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the console benchmarks (1 fork, 3 × 1 s warm-up, 5 × 1 s measurement):
 *
 * <pre>mvn -B -pl notifier-console -am test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.tokenwatch.notifier.console.bench.BenchmarkMain</pre>
 */
public final class BenchmarkMain {

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    exposeClassPathToForks();
    new Runner(new OptionsBuilder()
        .include(ConsoleSinkBenchmark.class.getName())
        .forks(1)
        .warmupIterations(3).warmupTime(TimeValue.seconds(1))
        .measurementIterations(5).measurementTime(TimeValue.seconds(1))
        .build()).run();
  }

  /**
   * JMH starts each fork with {@code java.class.path}; under exec:java that is Maven's launcher,
   * not the test class path, so it is set from the class loader that loaded this class.
   */
  static void exposeClassPathToForks() throws Exception {
    if (BenchmarkMain.class.getClassLoader() instanceof URLClassLoader loader) {
      List<String> entries = new ArrayList<>();
      for (URL url : loader.getURLs()) {
        entries.add(Paths.get(url.toURI()).toString());
      }
      System.setProperty("java.class.path", String.join(File.pathSeparator, entries));
    }
  }
}
