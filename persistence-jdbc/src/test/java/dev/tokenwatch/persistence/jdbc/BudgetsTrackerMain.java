package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One process of {@code SeveralBudgetsProcessesTest}: {@code url user process now go-file}. Tracks
 * {@link BudgetsWorkload#eventsOf} its process (every fifth call a batch of three) with a tracker of
 * its budgets over the store, once the go file exists; prints {@code ALERT <budget> <threshold>} per
 * alert, then {@code DONE}.
 */
public final class BudgetsTrackerMain {

  private BudgetsTrackerMain() {}

  public static void main(String[] args) throws Exception {
    int process = Integer.parseInt(args[2]);
    BudgetsWorkload.now = Instant.parse(args[3]);
    Path go = Path.of(args[4]);
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(args[0]).user(args[1]).poolSize(2).build()) {
      TokenTracker tracker = TokenTracker.builder(BudgetsWorkload.budgets(BudgetsWorkload.budgetsOf(process)))
          .store(store).clock(new MutableClock(BudgetsWorkload.now)).prices(BudgetsWorkload.PRICES)
          .sink(alert -> System.out.println("ALERT " + alert.budgetName() + " " + alert.threshold())).build();
      System.out.println("READY");
      while (!Files.exists(go)) {
        Thread.sleep(5);
      }
      List<TokenUsageEvent> events = BudgetsWorkload.eventsOf(process);
      int call = 0;
      for (int i = 0; i < events.size(); call++) {
        if (call % 5 == 4 && i + 3 <= events.size()) {
          tracker.trackAll(events.subList(i, i + 3));
          i += 3;
        } else {
          tracker.track(events.get(i++));
        }
      }
      System.out.println("DONE");
    }
  }
}
