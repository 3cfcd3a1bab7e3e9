package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.Counts;
import java.util.Objects;

/**
 * Usage of a budget in its current period, in the budget's unit (tokens, or nano-dollars for a USD
 * budget), with the period's full counts beside it: a USD budget's usage also shows its tokens and
 * its unpriced calls.
 *
 * @param used the amount charged in the period
 * @param limit the budget's limit
 * @param percentage the ratio used / limit: 0.72 means 72%; may exceed 1.0
 * @param remaining the amount left before the limit, never negative
 * @param unit what {@code used}, {@code limit} and {@code remaining} count
 * @param counts the period's totals: every kind of token, calls, cost and unpriced calls
 */
public record Usage(long used, long limit, double percentage, long remaining, BudgetUnit unit, Counts counts) {

  public Usage {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(counts, "counts");
  }

  /** Usage of {@code counts} against {@code budget}'s limit, in its unit. */
  public static Usage of(Counts counts, TokenBudget budget) {
    return of(counts, budget.limit(), budget.unit());
  }

  /** Usage of {@code counts} against {@code limit} of {@code unit}. */
  public static Usage of(Counts counts, long limit, BudgetUnit unit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    long used = unit.measure(counts);
    return new Usage(used, limit, (double) used / limit, Math.max(0, limit - used), unit, counts);
  }

  /** "$187.40 of $250.00" or "720 of 1,000 tokens": the used amount against the limit. */
  public String usedOfLimit() {
    return unit == BudgetUnit.TOKENS
        ? Amounts.count(used) + " of " + Amounts.count(limit) + " tokens"
        : unit.format(used) + " of " + unit.format(limit);
  }
}
