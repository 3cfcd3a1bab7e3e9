package dev.tokenwatch.persistence.file.bench;

import java.io.IOException;
import java.util.Arrays;

/**
 * {@link FileStoreBenchmark#recordOne} against {@link FileStoreBenchmark#baselineForcedAppend} in
 * alternating blocks of a few operations in one JVM, so both see the same disk and the same
 * neighbours. JMH measures each benchmark in its own fork a minute apart, and on a shared machine
 * the disk's speed changes more than that between two forks; this ratio does not drift with it.
 * A supplement to {@link BenchmarkMain}, not a replacement: the target is the JMH ratio.
 *
 * <p>Arguments (all optional): measured seconds (default 20), warm-up seconds (5), operations per
 * block (20).
 */
public final class InterleavedMain {

  private InterleavedMain() {}

  public static void main(String[] args) throws IOException {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
    double warmUp = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    int block = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    System.out.println(run(seconds, warmUp, block));
  }

  /** Runs the comparison and returns a Markdown table of both rates and their ratio. */
  static String run(double seconds, double warmUp, int block) throws IOException {
    FileStoreBenchmark bench = new FileStoreBenchmark();
    bench.open();
    try {
      long warmUpEnd = System.nanoTime() + (long) (warmUp * 1e9);
      while (System.nanoTime() < warmUpEnd) {
        round(bench, block, new long[2]);
      }
      long end = System.nanoTime() + (long) (seconds * 1e9);
      long[] total = new long[2];
      double[] ratios = new double[1024];
      int rounds = 0;
      while (System.nanoTime() < end || rounds == 0) {
        long[] nanos = new long[2];
        round(bench, block, nanos);
        total[0] += nanos[0];
        total[1] += nanos[1];
        if (rounds == ratios.length) {
          ratios = Arrays.copyOf(ratios, rounds * 2);
        }
        ratios[rounds++] = (double) nanos[0] / nanos[1]; // same operation count: rate ratio
      }
      double[] sorted = Arrays.copyOf(ratios, rounds);
      Arrays.sort(sorted);
      double ops = (double) rounds * block;
      return String.join(System.lineSeparator(),
          String.format("%d rounds of %d operations each, %.0f s measured after %.0f s warm-up", rounds, block,
              seconds, warmUp),
          "| benchmark | events/s | vs baseline | per-round ratio: quartile 1 / median / quartile 3 |",
          "|---|---:|---:|---:|",
          String.format("| baselineForcedAppend | %,.0f | 1.00x | |", ops / (total[0] / 1e9)),
          String.format("| recordOne | %,.0f | %.2fx | %.2fx / %.2fx / %.2fx |", ops / (total[1] / 1e9),
              (double) total[0] / total[1], sorted[rounds / 4], sorted[rounds / 2], sorted[rounds * 3 / 4]));
    } finally {
      bench.close();
    }
  }

  private static void round(FileStoreBenchmark bench, int block, long[] nanos) throws IOException {
    long start = System.nanoTime();
    for (int i = 0; i < block; i++) {
      bench.baselineForcedAppend();
    }
    long middle = System.nanoTime();
    for (int i = 0; i < block; i++) {
      bench.recordOne();
    }
    nanos[0] += middle - start;
    nanos[1] += System.nanoTime() - middle;
  }
}
