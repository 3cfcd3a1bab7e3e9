package dev.tokenwatch.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link TrackBenchmark} on each store with the audit trail off and on, and the baseline once,
 * and prints a Markdown table: each score next to its baseline of the same run (audit off: the floor;
 * audit on: the same store and thread count with the audit trail off) and the targets.
 * Arguments: forks, warm-up iterations, measurement iterations, seconds per iteration.
 */
public final class TrackBenchmarkMain {

  private static final double TARGET_MEMORY_AUDIT_OFF = 10_000_000;
  private static final double TARGET_MEMORY_AUDIT_ON = 200_000;
  private static final double TARGET_FILE_AUDIT_RATIO = 0.9;

  private TrackBenchmarkMain() {}

  public static void main(String[] args) throws RunnerException {
    int forks = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    Map<String, double[]> scores = new HashMap<>();
    scores.putAll(scores(run(options(forks, warmups, iterations, seconds, "track"))));
    // The floor depends on neither parameter: measured once.
    scores.putAll(scores(run(options(forks, warmups, iterations, seconds, "baseline")
        .param("store", "memory").param("audit", "off"))));

    List<String> rows = new ArrayList<>();
    rows.add("| what | events/s | ± (99.9%) | baseline (same run) | baseline ops/s | ratio | target |");
    rows.add("|---|---:|---:|---|---:|---:|---|");
    for (String threads : List.of("1Thread", "2Threads")) {
      String floor = "baseline" + threads + " memory off";
      for (String store : List.of("memory", "file")) {
        for (String audit : List.of("off", "on")) {
          double[] track = scores.get("track" + threads + " " + store + " " + audit);
          String baseline = audit.equals("off") ? floor : "track" + threads + " " + store + " off";
          double[] base = scores.get(baseline);
          double ratio = track[0] / base[0];
          rows.add(String.format(Locale.ROOT, "| track, %s store, audit %s, %s | %,.0f | %,.0f | %s | %,.0f | %.3f | %s |",
              store, audit, threads.equals("1Thread") ? "1 thread" : "2 threads", track[0], track[1],
              baseline.startsWith("baseline") ? "`AtomicLong` + array store" : "the same, audit off", base[0], ratio,
              target(threads, store, audit, track[0], ratio)));
        }
      }
    }
    System.out.println(String.join(System.lineSeparator(), rows));
  }

  private static String target(String threads, String store, String audit, double score, double ratio) {
    if (!threads.equals("1Thread")) {
      return "(none)";
    }
    if (store.equals("memory")) {
      double target = audit.equals("off") ? TARGET_MEMORY_AUDIT_OFF : TARGET_MEMORY_AUDIT_ON;
      return String.format(Locale.ROOT, "≥ %,.0f/s: %s", target, score >= target ? "met" : "**missed**");
    }
    if (audit.equals("on")) {
      return String.format(Locale.ROOT, "≥ %.1fx audit off: %s", TARGET_FILE_AUDIT_RATIO,
          ratio >= TARGET_FILE_AUDIT_RATIO ? "met" : "**missed**");
    }
    return "(none)";
  }

  private static ChainedOptionsBuilder options(int forks, int warmups, int iterations, int seconds, String prefix) {
    return new OptionsBuilder()
        .include(TrackBenchmark.class.getName() + "\\." + prefix)
        .forks(forks)
        .warmupIterations(warmups).warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(iterations).measurementTime(TimeValue.seconds(seconds));
  }

  private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
    return new Runner(options.build()).run();
  }

  /** Scores by "method store audit", as {score, error}. */
  private static Map<String, double[]> scores(Collection<RunResult> results) {
    Map<String, double[]> scores = new HashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      String key = name.substring(name.lastIndexOf('.') + 1) + " " + r.getParams().getParam("store") + " "
          + r.getParams().getParam("audit");
      scores.put(key, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
    }
    return scores;
  }
}
