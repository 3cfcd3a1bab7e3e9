package dev.tokenwatch.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link TrackBenchmark} twice, with the audit log off and on (as the app configures it), and
 * prints a Markdown table: each score next to the baseline of the same fork and thread count.
 * Arguments: forks, warm-up iterations, measurement iterations, seconds per iteration.
 */
public final class TrackBenchmarkMain {

  private static final double TARGET_AUDIT_OFF = 10_000_000;
  private static final double TARGET_AUDIT_ON = 1_000_000;

  private TrackBenchmarkMain() {}

  public static void main(String[] args) throws RunnerException, java.io.IOException {
    int forks = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    List<String> rows = new ArrayList<>();
    rows.add("| what | events/s | ± (99.9%) | baseline (same fork) | baseline ops/s | ratio | target |");
    rows.add("|---|---:|---:|---|---:|---:|---|");
    String stateDir = java.nio.file.Files.createTempDirectory("tokenwatch-bench").toString();
    for (String audit : List.of("off", "on")) {
      Options options = new OptionsBuilder()
          .include(TrackBenchmark.class.getName() + "\\.")
          .forks(forks)
          .warmupIterations(warmups).warmupTime(TimeValue.seconds(seconds))
          .measurementIterations(iterations).measurementTime(TimeValue.seconds(seconds))
          .jvmArgsAppend("-D" + TrackBenchmark.AUDIT_PROPERTY + "=" + audit, "-Dtokenwatch.stateDir=" + stateDir)
          .build();
      Map<String, double[]> scores = scores(new Runner(options).run());
      for (String threads : List.of("1Thread", "2Threads")) {
        double[] track = scores.get("track" + threads);
        double[] baseline = scores.get("baseline" + threads);
        String target = threads.equals("1Thread")
            ? "≥ " + String.format(Locale.ROOT, "%,.0f", audit.equals("off") ? TARGET_AUDIT_OFF : TARGET_AUDIT_ON) + "/s"
            : "(none)";
        rows.add(String.format(Locale.ROOT, "| track, in-memory store, audit %s, %s | %,.0f | %,.0f | baseline%s | %,.0f | %.3f | %s |",
            audit, threads.replace("1Thread", "1 thread").replace("2Threads", "2 threads"), track[0], track[1], threads,
            baseline[0], track[0] / baseline[0], target));
      }
    }
    System.out.println(String.join(System.lineSeparator(), rows));
  }

  private static Map<String, double[]> scores(Collection<RunResult> results) {
    Map<String, double[]> scores = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      scores.put(name.substring(name.lastIndexOf('.') + 1),
          new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
    }
    return scores;
  }
}
