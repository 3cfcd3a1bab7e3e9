package dev.tokenwatch.integration.langchain4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link AdmissionBenchmark}'s in-process calls timed by the calling thread's CPU time instead of the
 * wall clock, interleaved in rounds: on a machine whose other processes keep the cores busy, time the
 * thread spends descheduled is not counted, so small differences stay visible (JMH's figures of the
 * same methods remain the reference). Allocation is counted, collection (other threads) is not.
 *
 * <pre>java -cp TEST_CLASS_PATH dev.tokenwatch.integration.langchain4j.bench.CpuTimeMain [rounds] [calls]</pre>
 */
public final class CpuTimeMain {

  private CpuTimeMain() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    AdmissionBenchmark benchmark = new AdmissionBenchmark();
    benchmark.sampleResponse();
    Map<String, Supplier<Object>> operations = new LinkedHashMap<>();
    operations.put("inProcessBare", benchmark::inProcessBare);
    operations.put("inProcessWithListener", benchmark::inProcessWithListener);
    operations.put("inProcessGuarded", benchmark::inProcessGuarded);
    operations.put("reserveAndCommit", benchmark::reserveAndCommit);
    operations.put("trackOnly", benchmark::trackOnly);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, List<Double>> nanosPerCall = new LinkedHashMap<>();
    long sink = 0;
    for (int round = -3; round < rounds; round++) { // three rounds of warm-up
      for (Map.Entry<String, Supplier<Object>> operation : operations.entrySet()) {
        benchmark.newTracker(); // the in-memory store keeps every event: a fresh one per measurement
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
          sink += System.identityHashCode(operation.getValue().get());
        }
        double perCall = (threads.getCurrentThreadCpuTime() - start) / (double) calls;
        if (round >= 0) {
          nanosPerCall.computeIfAbsent(operation.getKey(), k -> new ArrayList<>()).add(perCall);
        }
      }
    }
    System.out.printf("%-24s %10s %10s   (CPU time per call, %d rounds of %d calls)%n", "operation", "median µs",
        "min µs", rounds, calls);
    nanosPerCall.forEach((name, values) -> {
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf("%-24s %10.3f %10.3f%n", name, median(sorted) / 1000, sorted[0] / 1000);
    });
    System.out.println("(sink " + (sink & 1) + ")");
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
