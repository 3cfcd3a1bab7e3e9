package dev.tokenwatch.domain;

import java.util.List;
import java.util.Optional;

/** What one tracking call did to each budget of the tracker: the part of its result about budgets. */
public interface BudgetCharges {

  /** What the call did to each budget, in the tracker's order. */
  List<BudgetCharge> budgets();

  /** The first budget's usage afterwards (the budget of a one-budget tracker). */
  default Usage usage() {
    return budgets().get(0).usage();
  }

  /** The first alert raised, in the tracker's order of budgets, if any. */
  default Optional<Alert> alert() {
    return budgets().stream().flatMap(b -> b.alerts().stream()).findFirst();
  }

  /** Every alert raised: per budget, at most one threshold alert and one forecast alert. */
  default List<Alert> alerts() {
    return budgets().stream().flatMap(b -> b.alerts().stream()).toList();
  }
}
