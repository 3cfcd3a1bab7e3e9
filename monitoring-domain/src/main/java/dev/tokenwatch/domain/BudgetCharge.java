package dev.tokenwatch.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * What tracking did to one budget: its current period's usage afterwards and the alert it raised, if
 * any.
 *
 * @param budget the budget
 * @param usage its current period's usage after the call
 * @param alert the alert raised for it, if any
 */
public record BudgetCharge(TokenBudget budget, Usage usage, Optional<Alert> alert) {

  public BudgetCharge {
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(alert, "alert");
  }
}
