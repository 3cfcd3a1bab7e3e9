package dev.tokenwatch.domain;

import java.util.Objects;

/**
 * A reservation was refused: the estimate, beside the committed usage and the open reservations of
 * the current period, would pass a hard budget's limit. Nothing was reserved.
 */
public final class BudgetExceededException extends RuntimeException {

  private final TokenBudget budget;
  private final long used;
  private final long reserved;
  private final long estimate;

  /**
   * The refusal of {@code estimate} by {@code budget}.
   *
   * @param used committed usage of the current period, in the budget's unit
   * @param reserved what the other open reservations hold, in the budget's unit
   * @param estimate the refused estimate, in the budget's unit
   */
  public BudgetExceededException(TokenBudget budget, long used, long reserved, long estimate) {
    super(message(Objects.requireNonNull(budget, "budget"), used, reserved, estimate));
    this.budget = budget;
    this.used = used;
    this.reserved = reserved;
    this.estimate = estimate;
  }

  private static String message(TokenBudget budget, long used, long reserved, long estimate) {
    BudgetUnit unit = budget.unit();
    return "hard budget '" + budget.name() + "' (" + unit.format(budget.limit()) + ' ' + budget.period().label()
        + "): used " + unit.format(used) + " and reserved " + unit.format(reserved) + ", so the estimate of "
        + unit.format(estimate) + " would pass its limit";
  }

  /** The budget that refused. */
  public TokenBudget budget() {
    return budget;
  }

  /** The budget's limit, in its unit. */
  public long limit() {
    return budget.limit();
  }

  /** Committed usage of the current period when the reservation was refused, in the budget's unit. */
  public long used() {
    return used;
  }

  /** What the other open reservations held then, in the budget's unit. */
  public long reserved() {
    return reserved;
  }

  /** The refused estimate, in the budget's unit. */
  public long estimate() {
    return estimate;
  }
}
