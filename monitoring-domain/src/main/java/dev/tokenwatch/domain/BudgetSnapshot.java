package dev.tokenwatch.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The persistable state of one budget's current period.
 *
 * @param used tokens used in the period
 * @param periodStart start of the period
 * @param alertedThresholds thresholds that fired in the period, ascending
 */
public record BudgetSnapshot(long used, Instant periodStart, List<Double> alertedThresholds) {

  public BudgetSnapshot {
    if (used < 0) {
      throw new IllegalArgumentException("used must not be negative, got " + used);
    }
    Objects.requireNonNull(periodStart, "periodStart");
    alertedThresholds = List.copyOf(new java.util.TreeSet<>(alertedThresholds));
  }
}
