package dev.tokenwatch.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What tracking did to one budget: its current period's usage afterwards and the alerts it raised
 * (at most one threshold alert and one forecast alert).
 *
 * @param budget the budget
 * @param usage its current period's usage after the call
 * @param alerts the alerts raised for it, the threshold alert first
 */
public record BudgetCharge(TokenBudget budget, Usage usage, List<Alert> alerts) {

  public BudgetCharge {
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(usage, "usage");
    alerts = List.copyOf(alerts);
  }

  /** The first alert raised for the budget, if any. */
  public Optional<Alert> alert() {
    return alerts.isEmpty() ? Optional.empty() : Optional.of(alerts.get(0));
  }
}
