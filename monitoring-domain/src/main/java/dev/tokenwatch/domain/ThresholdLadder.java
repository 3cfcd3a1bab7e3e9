package dev.tokenwatch.domain;

import java.util.List;

/**
 * A budget's thresholds with the token counts at which each is reached, so checking a usage costs a
 * few integer comparisons and no floating-point rounding decides an alert.
 */
final class ThresholdLadder {

  private final double[] thresholds;
  private final long[] tokens;

  ThresholdLadder(TokenBudget budget) {
    List<Double> sorted = budget.alertThresholds();
    thresholds = new double[sorted.size()];
    tokens = new long[sorted.size()];
    for (int i = 0; i < thresholds.length; i++) {
      thresholds[i] = sorted.get(i);
      tokens[i] = budget.amountAt(thresholds[i]);
    }
  }

  /** The highest threshold reached by {@code used} tokens, or NaN if none is. */
  double highestReached(long used) {
    for (int i = tokens.length - 1; i >= 0; i--) {
      if (used >= tokens[i]) {
        return thresholds[i];
      }
    }
    return Double.NaN;
  }

  /** The thresholds at or below {@code highestFired}: those that count as fired. */
  List<Double> firedUpTo(double highestFired) {
    java.util.ArrayList<Double> fired = new java.util.ArrayList<>();
    for (double t : thresholds) {
      if (t <= highestFired) {
        fired.add(t);
      }
    }
    return List.copyOf(fired);
  }
}
