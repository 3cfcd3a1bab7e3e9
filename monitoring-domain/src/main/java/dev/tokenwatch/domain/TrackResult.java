package dev.tokenwatch.domain;

import java.util.List;

/**
 * The result of tracking one event.
 *
 * @param outcome whether the event was counted, replaced an earlier one, or was a duplicate
 * @param budgets what it did to each budget of the tracker, in the tracker's order
 */
public record TrackResult(TrackOutcome outcome, List<BudgetCharge> budgets) implements BudgetCharges {

  public TrackResult {
    budgets = List.copyOf(budgets);
  }

  /** Whether the event was dropped as a duplicate. */
  public boolean duplicate() {
    return outcome == TrackOutcome.DUPLICATE;
  }
}
