package dev.tokenwatch.domain.reservation;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import java.util.Objects;

/**
 * What a reservation holds in one hard budget's current window: an amount (tokens, or nano-dollars)
 * that committed usage plus open reservations may not take past the limit.
 *
 * @param window the budget's window
 * @param unit what the limit and the amount count
 * @param limit the budget's limit, greater than 0
 * @param amount the estimate in the unit, not negative
 */
public record Hold(BudgetWindow window, BudgetUnit unit, long limit, long amount) {

  public Hold {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(unit, "unit");
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    if (amount < 0) {
      throw new IllegalArgumentException("amount must not be negative, got " + amount);
    }
  }

  /** The amount of {@code counts} this hold's unit counts. */
  public long measure(Counts counts) {
    return unit.measure(counts);
  }

  /**
   * Whether this hold fits beside {@code used} (committed) and {@code reserved} (other open
   * reservations): their sum with the amount is at most the limit.
   */
  public boolean fits(long used, long reserved) {
    return saturatedSum(saturatedSum(used, reserved), amount) <= limit;
  }

  private static long saturatedSum(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
  }
}
