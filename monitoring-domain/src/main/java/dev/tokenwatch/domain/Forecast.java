package dev.tokenwatch.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a budget's period is heading at its rate so far: the linear projection {@code used / elapsed
 * &times; period length}. Linear because it needs nothing but the period's own figure, is easy to
 * check by hand, and errs early for a period whose spending slows down, which is the side an alert
 * should err on.
 *
 * <p>No projection is made on thin evidence: before {@link #MIN_ELAPSED_SHARE} of the period has
 * passed, or below the budget's {@link TokenBudget#forecastMinimum()} of usage.
 *
 * @param projected the amount projected for the whole period, in the budget's unit
 * @param ratio {@code projected / limit}
 * @param limitReachedAt when usage reaches the limit at this rate, or {@code null} if it already has
 *     or will not before the period ends
 */
public record Forecast(long projected, double ratio, Instant limitReachedAt) {

  /** The share of the period that must have passed before a projection is made. */
  public static final double MIN_ELAPSED_SHARE = 0.1;

  /** The projection of {@code used} in {@code window} of {@code budget} at {@code now}, if evidence suffices. */
  public static Optional<Forecast> of(TokenBudget budget, PeriodWindow window, long used, Instant now) {
    long length = Duration.between(window.startInstant(), window.endInstant()).toMillis();
    long elapsed = Duration.between(window.startInstant(), now).toMillis();
    if (elapsed < length * MIN_ELAPSED_SHARE || elapsed <= 0 || elapsed > length || used <= 0
        || used < budget.forecastMinimum()) {
      return Optional.empty();
    }
    double projected = (double) used * length / elapsed;
    long projectedAmount = projected >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) projected;
    return Optional.of(new Forecast(projectedAmount, projected / budget.limit(),
        reachedAt(budget.limit(), used, elapsed, window, now)));
  }

  /** When {@code amount} is reached at the rate {@code used / elapsed}, or null if reached or not in the period. */
  static Instant reachedAt(long amount, long used, long elapsedMillis, PeriodWindow window, Instant now) {
    if (used >= amount) {
      return null;
    }
    double millisLeft = (double) (amount - used) * elapsedMillis / used;
    Instant at = now.plusMillis((long) Math.ceil(millisLeft));
    return at.isBefore(window.endInstant()) ? at : null;
  }
}
