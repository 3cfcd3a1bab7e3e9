package dev.tokenwatch.domain;

import java.util.List;
import java.util.Optional;

/**
 * The result of tracking one event.
 *
 * @param outcome whether the event was counted, replaced an earlier one, or was a duplicate
 * @param budgets what it did to each budget of the tracker, in the tracker's order
 */
public record TrackResult(TrackOutcome outcome, List<BudgetCharge> budgets) {

  public TrackResult {
    budgets = List.copyOf(budgets);
  }

  /** The first budget's usage afterwards (the budget of a one-budget tracker). */
  public Usage usage() {
    return budgets.get(0).usage();
  }

  /** The first alert the event raised, in the tracker's order of budgets, if any. */
  public Optional<Alert> alert() {
    return budgets.stream().flatMap(b -> b.alert().stream()).findFirst();
  }

  /** Every alert the event raised, one per budget at most. */
  public List<Alert> alerts() {
    return budgets.stream().flatMap(b -> b.alerts().stream()).toList();
  }

  /** Whether the event was dropped as a duplicate. */
  public boolean duplicate() {
    return outcome == TrackOutcome.DUPLICATE;
  }
}
