package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.BudgetWindow;
import java.time.Instant;
import java.util.List;

/** The current period of each budget, in the tracker's order, and their store windows. */
final class CurrentPeriods {
  final BudgetManager.Period[] periods;
  final List<BudgetWindow> windows;
  /** The earliest end of the periods: until then none rolls over. */
  final Instant validFrom;
  final Instant validUntil;

  private CurrentPeriods(BudgetManager.Period[] periods) {
    this.periods = periods;
    BudgetWindow[] windows = new BudgetWindow[periods.length];
    Instant from = Instant.MIN;
    Instant until = Instant.MAX;
    for (int i = 0; i < periods.length; i++) {
      windows[i] = periods[i].storeWindow();
      from = windows[i].start().isAfter(from) ? windows[i].start() : from;
      until = windows[i].end().isBefore(until) ? windows[i].end() : until;
    }
    this.windows = List.of(windows);
    this.validFrom = from;
    this.validUntil = until;
  }

  static CurrentPeriods of(List<TrackedBudget> budgets, Instant now) {
    BudgetManager.Period[] periods = new BudgetManager.Period[budgets.size()];
    for (int i = 0; i < periods.length; i++) {
      periods[i] = budgets.get(i).calendar().current(now);
    }
    return new CurrentPeriods(periods);
  }

  boolean contain(Instant now) {
    return !now.isBefore(validFrom) && now.isBefore(validUntil);
  }
}
