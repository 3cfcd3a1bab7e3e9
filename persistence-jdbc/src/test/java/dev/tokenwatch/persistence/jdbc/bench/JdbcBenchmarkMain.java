package dev.tokenwatch.persistence.jdbc.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link JdbcStoreBenchmark} and prints a Markdown table of events/s, each next to its baseline
 * from the same run and the ratio. Run it with (from the repository root):
 *
 * <pre>
 * mvn -B -pl persistence-jdbc -am test-compile exec:exec -Dexec.skip=true -Dexec.executable=java
 * </pre>
 *
 * ({@code -Dexec.skip=true} skips the other modules of the reactor; this module's pom sets {@code
 * skip=false}; {@code exec.executable} must be set for the skipped ones too).
 */
public final class JdbcBenchmarkMain {

  private JdbcBenchmarkMain() {}

  public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
    awaitOtherBenchmarks(Duration.ofMinutes(5));
    // H2 keeps speeding up for tens of seconds (JIT of its MVStore paths, page caches): every trial, store
    // and baseline alike, warms up for 32 s in its own fork before 3 measured iterations of 4 s. Shorter runs:
    // -Dbench.warmupIterations, -Dbench.iterations, -Dbench.seconds (per iteration).
    ChainedOptionsBuilder options = new OptionsBuilder()
        // -Dbench.include=recordSingle|baselineSingle (a regular expression) runs those benchmarks only.
        .include(JdbcStoreBenchmark.class.getName() + "\\.(" + System.getProperty("bench.include", ".*") + ")$")
        .forks(1)
        .warmupIterations(Integer.getInteger("bench.warmupIterations", 8))
        .warmupTime(TimeValue.seconds(Integer.getInteger("bench.seconds", 4)))
        .measurementIterations(Integer.getInteger("bench.iterations", 3))
        .measurementTime(TimeValue.seconds(Integer.getInteger("bench.seconds", 4)));
    String databases = System.getProperty("bench.databases");
    if (databases != null) {
      // e.g. -Dbench.databases=h2 to measure one database only (the table then has only its rows).
      options.param("database", databases.split(","));
    }

    System.out.println(table(new Runner(options.build()).run()));
  }

  /**
   * JMH refuses to start while another JMH run on the machine holds {@code /tmp/jmh.lock}. Waits for
   * it up to {@code patience}, then runs anyway and says so: figures then share the CPU with it
   * (both the store and its baseline, so the ratios still compare like with like).
   */
  private static void awaitOtherBenchmarks(Duration patience) throws IOException, InterruptedException {
    Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
    long deadline = System.nanoTime() + patience.toNanos();
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      while (System.nanoTime() < deadline) {
        FileLock lock = channel.tryLock();
        if (lock != null) {
          lock.release();
          return;
        }
        Thread.sleep(2_000);
      }
    }
    System.out.println("NOTE: another JMH run held " + lockFile + " for " + patience + "; running alongside it");
    System.setProperty("jmh.ignoreLock", "true");
  }

  /** Runs each benchmark for a few milliseconds in this JVM (the smoke test) and returns the table. */
  static String smoke() throws RunnerException {
    // Other builds on the machine may hold JMH's global lock; a smoke run measures nothing, so it may share.
    System.setProperty("jmh.ignoreLock", "true");
    Options options = new OptionsBuilder()
        .include(JdbcStoreBenchmark.class.getName())
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(50))
        .shouldFailOnError(true)
        .build();
    return table(new Runner(options).run());
  }

  /** Rows per database: each store figure with the baseline it is compared to and the ratio. */
  static String table(Collection<RunResult> results) {
    Map<String, Double> score = new TreeMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      String method = name.substring(name.lastIndexOf('.') + 1);
      score.put(r.getParams().getParam("database") + "/" + method, r.getPrimaryResult().getScore());
    }
    StringBuilder out = new StringBuilder();
    out.append("| database | store operation | store events/s | baseline | baseline events/s | ratio |\n");
    out.append("|---|---|---:|---|---:|---:|\n");
    for (String db : new String[] {"h2", "postgresql"}) {
      if (!score.containsKey(db + "/recordSingle")) {
        continue;
      }
      // Several budgets: against one budget, in the same run (-Dbench.include=recordSingle|recordFive.*|recordOneOf.*).
      if (score.containsKey(db + "/recordFiveBudgets")) {
        row(out, score, db, "recordFiveBudgets", "record of 1 event, 5 budgets named", "recordSingle");
      }
      if (score.containsKey(db + "/recordOneOfFiveKept")) {
        row(out, score, db, "recordOneOfFiveKept", "record of 1 event, 1 of 5 kept budgets named", "recordSingle");
      }
      if (!score.containsKey(db + "/baselineSingle")) {
        continue;
      }
      row(out, score, db, "recordSingle", "record of 1 event", "baselineSingle");
      row(out, score, db, "recordBatch1000", "record of a 1,000-event batch", "baselineSingle");
      row(out, score, db, "recordFourWriters", "4 writers, record of 1 event", "baselineFourWriters");
      if (score.containsKey(db + "/baselineSingleDurable")) {
        row(out, score, db, "recordSingle", "record of 1 event", "baselineSingleDurable");
        row(out, score, db, "recordBatch1000", "record of a 1,000-event batch", "baselineSingleDurable");
        row(out, score, db, "recordFourWriters", "4 writers, record of 1 event", "baselineFourWritersDurable");
      }
    }
    return out.toString();
  }

  private static void row(StringBuilder out, Map<String, Double> score, String db, String method, String label,
      String baselineMethod) {
    Double store = score.get(db + "/" + method);
    Double baseline = score.get(db + "/" + baselineMethod);
    if (store == null || baseline == null) {
      throw new IllegalStateException("missing result for " + db + "/" + method + " or " + baselineMethod);
    }
    out.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %s | %,.0f | %.0f%% |%n", db, label, store,
        baselineMethod, baseline, 100 * store / baseline));
  }
}
