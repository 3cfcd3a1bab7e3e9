package dev.tokenwatch.benchmarks.ingest;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link IngestBenchmark} (1 fork, short) and prints a table of ms/op, MB/s and lines/s, each
 * with its ratio to the bare-read baseline of the same run. Arguments: corpus size in MB (default
 * 256) and store names (default {@code memory}).
 *
 * Run by {@code bench/run.sh}.
 */
public final class IngestBenchmarkMain {

  private IngestBenchmarkMain() {}

  public static void main(String[] args) throws RunnerException {
    int mb = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    String[] stores = args.length > 1 ? args[1].split(",") : new String[] {"memory"};
    long[] corpus = BenchCorpus.ensure(mb);
    // the machine is shared: another module's benchmark holding JMH's lock must not abort this run
    System.setProperty("jmh.ignoreLock", "true");
    Options options = new OptionsBuilder()
        .include(IngestBenchmark.class.getName())
        .param("corpusMb", String.valueOf(mb))
        .param("store", stores)
        .forks(1)
        .warmupIterations(2)
        .measurementIterations(3)
        .jvmArgsAppend("-Xmx1g")
        .build();
    Collection<RunResult> results = new Runner(options).run();
    System.out.println(table(results, corpus[0], corpus[1]));
  }


  static String table(Collection<RunResult> results, long bytes, long lines) {
    Map<String, double[]> msPerOp = new TreeMap<>();
    double baseline = Double.NaN;
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      String key = name.equals("bareRead") ? name : name + " (" + r.getParams().getParam("store") + ")";
      double ms = r.getPrimaryResult().getScore();
      double error = r.getPrimaryResult().getScoreError();
      msPerOp.put(key, new double[] {ms, error});
      if (name.equals("bareRead")) {
        baseline = ms;
      }
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "corpus: %.1f MB, %,d lines%n| benchmark | ms/op | MB/s | lines/s | MB/s vs bare read |%n|---|---:|---:|---:|---:|%n",
        bytes / 1e6, lines));
    for (Map.Entry<String, double[]> e : msPerOp.entrySet()) {
      double ms = e.getValue()[0];
      double seconds = ms / 1000;
      out.append(String.format(Locale.ROOT, "| %s | %.1f ± %.1f | %.0f | %,.0f | %.2fx |%n", e.getKey(), ms,
          e.getValue()[1], bytes / 1e6 / seconds, lines / seconds, baseline / ms));
    }
    for (Map.Entry<String, double[]> e : msPerOp.entrySet()) {
      if (e.getKey().startsWith("reIngest")) {
        double[] first = msPerOp.get(e.getKey().replace("reIngest", "firstIngest"));
        if (first != null) {
          out.append(String.format(Locale.ROOT, "%s: %.0fx faster than the first ingest%n", e.getKey(),
              first[0] / e.getValue()[0]));
        }
      }
    }
    return out.toString();
  }
}
