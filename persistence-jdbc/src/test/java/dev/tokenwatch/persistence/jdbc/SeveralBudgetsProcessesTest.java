package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four JVMs on one PostgreSQL ledger, each tracking its own list of overlapping budgets (scopes by
 * model glob, tag and project; periods of a day, a week, a month), with request ids shared across
 * the processes: every budget's kept totals are exactly those of the final ledger, including the
 * events of processes that do not know the budget, and each threshold of each budget is claimed
 * exactly once across the processes.
 */
class SeveralBudgetsProcessesTest {

  @TempDir
  Path dir;

  @Test
  void fourProcessesWithDifferentBudgetsKeepEveryBudgetExact() throws Exception {
    String url = EmbeddedPostgresServer.newDatabase("budgets");
    BudgetsWorkload.now = BudgetsWorkload.noonToday();
    Path go = dir.resolve("go");
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(url).user(EmbeddedPostgresServer.USER).build()) {
      List<ChildJvm> children = new ArrayList<>();
      for (int p = 0; p < BudgetsWorkload.PROCESSES; p++) {
        children.add(ChildJvm.start(dir, BudgetsTrackerMain.class, url, EmbeddedPostgresServer.USER,
            Integer.toString(p), BudgetsWorkload.now.toString(), go.toString()));
      }
      for (ChildJvm child : children) {
        child.awaitLine("READY");
      }
      Files.createFile(go);
      Map<String, List<Double>> alerts = new HashMap<>();
      for (ChildJvm child : children) {
        List<String> lines = child.awaitSuccess();
        assertThat(lines).contains("DONE");
        for (String line : lines) {
          if (line.startsWith("ALERT ")) {
            String[] parts = line.split(" ");
            alerts.computeIfAbsent(parts[1], b -> new ArrayList<>()).add(Double.valueOf(parts[2]));
          }
        }
      }

      Map<String, Counts> expected = BudgetsWorkload.expected();
      List<TokenBudget> budgets = BudgetsWorkload.budgets(BudgetsWorkload.ALL_BUDGETS);
      TokenTracker all = TokenTracker.builder(budgets).store(store).clock(new MutableClock(BudgetsWorkload.now))
          .prices(BudgetsWorkload.PRICES).build();
      for (TokenBudget budget : budgets) {
        String name = budget.name();
        BudgetWindow window = BudgetsWorkload.window(budget, all.budget(name).getCurrentPeriod());
        assertThat(store.keepsWindow(window)).as(name + " is kept").isTrue();
        assertThat(store.windowTotals(window)).as(name + "'s kept totals").isEqualTo(expected.get(name));
        assertThat(store.query(window.query()).total()).as(name + " in the ledger").isEqualTo(expected.get(name));
        assertThat(alerts.get(name)).as(name + "'s alerts across the processes")
            .containsExactlyInAnyOrder(0.5, 0.7, 0.8, 1.0);
        assertThat(store.claimedThresholds(window)).containsExactly(0.5, 0.7, 0.8, 1.0);
      }
      assertThat(expected.get("search").unpricedCalls()).as("the workload has unpriced calls").isPositive();
      assertThat(expected.get("all").costNanoUsd()).isPositive();
      List<TokenUsageEvent> history = store.history(UsageFilter.ANY, 100_000);
      assertThat(history).containsExactlyInAnyOrderElementsOf(BudgetsWorkload.finalLedger());
    }
  }
}
