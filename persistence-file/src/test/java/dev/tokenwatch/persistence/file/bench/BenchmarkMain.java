package dev.tokenwatch.persistence.file.bench;

import dev.tokenwatch.domain.testing.ForkClassPath;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link FileStoreBenchmark} (1 fork, 2 warm-up and 5 measured iterations of 2 s) and prints
 * a table of every score as a ratio to the baseline measured in the same run. See the module
 * README for the command.
 */
public final class BenchmarkMain {

  private BenchmarkMain() {}

  public static void main(String[] args) throws RunnerException {
    ForkClassPath.exposeTo(BenchmarkMain.class);
    Options options = new OptionsBuilder()
        .include(FileStoreBenchmark.class.getName() + "\\.")
        .forks(1)
        .warmupIterations(2).warmupTime(TimeValue.seconds(2))
        .measurementIterations(5).measurementTime(TimeValue.seconds(2))
        .build();
    System.out.println(table(new Runner(options).run()));
  }

  /** A Markdown table of the scores with their ratio to the baseline. */
  static String table(Collection<RunResult> results) {
    Map<String, double[]> scores = new TreeMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      scores.put(name.substring(name.lastIndexOf('.') + 1),
          new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
    }
    double baseline = scores.getOrDefault("baselineForcedAppend", new double[] {Double.NaN})[0];
    double single = scores.getOrDefault("recordOne", new double[] {Double.NaN})[0];
    List<String> lines = new ArrayList<>();
    lines.add("| benchmark | events/s | ± (99.9%) | vs baseline | vs recordOne |");
    lines.add("|---|---:|---:|---:|---:|");
    scores.forEach((name, s) -> lines.add(String.format("| %s | %,.0f | %,.0f | %.2fx | %.2fx |", name, s[0], s[1],
        s[0] / baseline, s[0] / single)));
    return String.join(System.lineSeparator(), lines);
  }

}
