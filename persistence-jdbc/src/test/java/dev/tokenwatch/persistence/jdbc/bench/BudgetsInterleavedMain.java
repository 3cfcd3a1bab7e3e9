package dev.tokenwatch.persistence.jdbc.bench;

import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import java.util.List;
import java.util.Locale;

/**
 * Single-event records under one budget, five named budgets, and one named of five kept, on three
 * PostgreSQL databases of one embedded server, in interleaved rounds of 200 calls (the first 4
 * rounds unmeasured): on a shared machine whose load moves, each figure then sees the same load,
 * which JMH's one fork per benchmark, run one after the other, does not give. Arguments: [rounds].
 */
public final class BudgetsInterleavedMain {

  private BudgetsInterleavedMain() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 24;
    String[] modes = {"1 budget", "5 budgets named", "1 of 5 kept budgets named"};
    List<BudgetWindow> five = JdbcStoreBenchmark.FIVE_WINDOWS;
    JdbcUsageStore[] stores = new JdbcUsageStore[3];
    long[] nanos = new long[3];
    long id = 0;
    try {
      for (int m = 0; m < 3; m++) {
        BenchDatabase db = BenchDatabase.create("postgresql");
        stores[m] = JdbcUsageStore.builder().url(db.url).user(db.user).build();
      }
      stores[2].record(List.of(), five.subList(1, five.size()));
      for (int round = 0; round < rounds; round++) {
        for (int m = 0; m < 3; m++) {
          List<BudgetWindow> named = m == 1 ? five : JdbcStoreBenchmark.WINDOWS;
          long start = System.nanoTime();
          for (int i = 0; i < 200; i++) {
            stores[m].record(List.of(JdbcStoreBenchmark.event(++id)), named);
          }
          if (round >= 4) {
            nanos[m] += System.nanoTime() - start;
          }
        }
      }
    } finally {
      for (JdbcUsageStore store : stores) {
        if (store != null) {
          store.close();
        }
      }
    }
    long calls = 200L * (rounds - 4);
    for (int m = 0; m < 3; m++) {
      System.out.printf(Locale.ROOT, "| postgresql | record of 1 event, %s | %,.0f | %.2f |%n", modes[m],
          calls / (nanos[m] / 1e9), (double) nanos[0] / nanos[m]);
    }
    System.exit(0);
  }
}
