package dev.tokenwatch.domain;

import java.util.List;
import java.util.Optional;

/**
 * The result of tracking a batch of events in one store operation.
 *
 * @param budgets what the batch did to each budget of the tracker, in its order; each raised at most
 *     one alert (its highest threshold reached)
 * @param recorded events counted for the first time
 * @param replaced events that replaced an earlier, smaller record with the same request id
 * @param duplicates events dropped as duplicates
 * @param beforeRetention events dropped because they lie before the store's retained range
 */
public record BatchResult(List<BudgetCharge> budgets, int recorded, int replaced, int duplicates,
    int beforeRetention) {

  public BatchResult {
    budgets = List.copyOf(budgets);
  }

  /** The first budget's usage afterwards (the budget of a one-budget tracker). */
  public Usage usage() {
    return budgets.get(0).usage();
  }

  /** The first alert the batch raised, in the tracker's order of budgets, if any. */
  public Optional<Alert> alert() {
    return budgets.stream().flatMap(b -> b.alert().stream()).findFirst();
  }

  /** Every alert the batch raised, one per budget at most. */
  public List<Alert> alerts() {
    return budgets.stream().flatMap(b -> b.alerts().stream()).toList();
  }
}
