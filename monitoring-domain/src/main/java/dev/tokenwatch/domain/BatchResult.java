package dev.tokenwatch.domain;

import java.util.List;

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
    int beforeRetention) implements BudgetCharges {

  public BatchResult {
    budgets = List.copyOf(budgets);
  }

}
