package dev.tokenwatch.integration.langchain4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link CpuTimeMain} for two builds of the domain at once: each {@code name=jar} is loaded with the
 * common class path (this module's classes and test classes, the domain's test jar, the libraries;
 * not the domain) in a class loader of its own, and {@link AdmissionBenchmark}'s methods of both run
 * interleaved round by round (which version goes first alternates), so both see the same load. The
 * figures of interest are per-round differences (guarded − bare), whose median is printed. Calls go
 * through reflection, the same few nanoseconds for every method.
 *
 * <pre>java -cp TEST_CLASSES dev.tokenwatch.integration.langchain4j.bench.CpuTimeAbMain rounds calls \
 *   COMMON_CLASS_PATH before=old-domain.jar after=new-domain.jar</pre>
 */
public final class CpuTimeAbMain {

  private static final String[] OPERATIONS =
      {"inProcessBare", "inProcessWithListener", "inProcessGuarded", "reserveAndCommit", "trackOnly"};

  private CpuTimeAbMain() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int calls = Integer.parseInt(args[1]);
    String[] versions = Arrays.copyOfRange(args, 3, args.length);
    int n = versions.length;
    String[] names = new String[n];
    Object[] benchmarks = new Object[n];
    Method[] newTracker = new Method[n];
    Method[][] operations = new Method[n][OPERATIONS.length];
    for (int v = 0; v < n; v++) {
      String[] nameAndJar = versions[v].split("=", 2);
      names[v] = nameAndJar[0];
      List<URL> urls = new ArrayList<>(List.of(Path.of(nameAndJar[1]).toUri().toURL()));
      for (String entry : args[2].split(":")) {
        if (!entry.isEmpty()) {
          urls.add(Path.of(entry).toUri().toURL());
        }
      }
      Class<?> type = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())
          .loadClass(AdmissionBenchmark.class.getName());
      benchmarks[v] = type.getConstructor().newInstance();
      type.getMethod("sampleResponse").invoke(benchmarks[v]);
      newTracker[v] = type.getMethod("newTracker");
      for (int o = 0; o < OPERATIONS.length; o++) {
        operations[v][o] = type.getMethod(OPERATIONS[o]);
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[][][] micros = new double[n][OPERATIONS.length][rounds];
    long sink = 0;
    for (int round = -3; round < rounds; round++) { // three rounds of warm-up
      for (int i = 0; i < n; i++) {
        int v = (round & 1) == 0 ? i : n - 1 - i;
        for (int o = 0; o < OPERATIONS.length; o++) {
          newTracker[v].invoke(benchmarks[v]); // the in-memory store keeps every event
          long start = threads.getCurrentThreadCpuTime();
          for (int c = 0; c < calls; c++) {
            sink += System.identityHashCode(operations[v][o].invoke(benchmarks[v]));
          }
          if (round >= 0) {
            micros[v][o][round] = (threads.getCurrentThreadCpuTime() - start) / (double) calls / 1000;
          }
        }
      }
    }
    System.out.printf("CPU time per call in µs, %d rounds of %d calls, versions interleaved%n", rounds, calls);
    System.out.printf("%-10s %-22s %8s %8s %8s%n", "version", "operation", "median", "p25", "min");
    for (int v = 0; v < n; v++) {
      for (int o = 0; o < OPERATIONS.length; o++) {
        double[] sorted = micros[v][o].clone();
        Arrays.sort(sorted);
        System.out.printf("%-10s %-22s %8.3f %8.3f %8.3f%n", names[v], OPERATIONS[o], median(sorted),
            sorted[rounds / 4], sorted[0]);
      }
    }
    System.out.println("medians of the per-round differences and ratio:");
    for (int v = 0; v < n; v++) {
      System.out.printf("%-10s guarded - bare %.3f, listener - bare %.3f, reserveAndCommit - trackOnly %.3f, "
          + "reserveAndCommit / trackOnly %.2f%n", names[v], perRound(micros[v], 2, 0, false),
          perRound(micros[v], 1, 0, false), perRound(micros[v], 3, 4, false), perRound(micros[v], 3, 4, true));
    }
    System.out.println("(sink " + (sink & 1) + ")");
  }

  private static double perRound(double[][] micros, int a, int b, boolean ratio) {
    double[] values = new double[micros[a].length];
    for (int r = 0; r < values.length; r++) {
      values[r] = ratio ? micros[a][r] / micros[b][r] : micros[a][r] - micros[b][r];
    }
    Arrays.sort(values);
    return median(values);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
