package dev.tokenwatch.persistence.jdbc;

import java.util.List;

/**
 * Runs one {@link Workload} writer in a child JVM: {@code url user schema-or-dash writer count
 * limit}. Prints {@code WON <threshold>} per threshold won, then {@code DONE}.
 */
public final class WorkloadMain {

  private WorkloadMain() {}

  public static void main(String[] args) {
    JdbcUsageStore.Builder builder = JdbcUsageStore.builder().url(args[0]).user(args[1]).poolSize(2);
    if (!"-".equals(args[2])) {
      builder.schema(args[2]);
    }
    try (JdbcUsageStore store = builder.build()) {
      List<Double> won = Workload.run(store, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          Long.parseLong(args[5]));
      for (double threshold : won) {
        System.out.println("WON " + threshold);
      }
      System.out.println("DONE");
    }
  }
}
