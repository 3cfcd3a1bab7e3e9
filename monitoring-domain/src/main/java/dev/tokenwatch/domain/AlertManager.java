package dev.tokenwatch.domain;

import dev.tokenwatch.domain.port.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The alert rule of one budget, in memory: after each change of usage, the highest threshold reached
 * that has not fired in this period raises one alert, and it and every lower threshold count as
 * fired. No threshold fires twice in a period and alerts never step down in severity; {@link
 * #reset()} re-arms all thresholds. Thread-safe.
 *
 * <p>{@link TokenTracker} applies the same rule through its {@code UsageStore}, so that it also holds
 * across processes; this class serves code that keeps a budget in memory, as {@link BudgetManager}
 * does.
 */
public final class AlertManager {

  private final TokenBudget budget;
  private final Clock clock;
  private final ThresholdLadder ladder;
  private double highestFired = Double.NEGATIVE_INFINITY;
  private volatile Consumer<Alert> callback = alert -> {};

  /** An alert manager for the thresholds of {@code budget}, reading time from {@code clock}. */
  public AlertManager(TokenBudget budget, Clock clock) {
    this.budget = budget;
    this.clock = clock;
    this.ladder = new ThresholdLadder(budget);
  }

  /** Called with every alert {@link #evaluate} raises. */
  public void setCallback(Consumer<Alert> callback) {
    this.callback = callback == null ? alert -> {} : callback;
  }

  /**
   * Evaluates a usage ratio (0.72 = 72%): returns the alert to raise, if any, and passes it to the
   * callback. The alert's token counts are derived from the ratio; prefer {@link #evaluate(Usage)}.
   */
  public Optional<Alert> evaluate(double percentage) {
    long used = Math.round(percentage * budget.limit());
    return evaluate(new Usage(used, budget.limit(), percentage, Math.max(0, budget.limit() - used)));
  }

  /** Evaluates a usage: returns the alert to raise, if any, and passes it to the callback. */
  public Optional<Alert> evaluate(Usage usage) {
    double reached = ladder.highestReached(usage.percentage());
    Alert alert;
    synchronized (this) {
      if (Double.isNaN(reached) || reached <= highestFired) {
        return Optional.empty();
      }
      highestFired = reached;
      var now = clock.now();
      alert = Alert.of(budget, reached, usage, budget.period().windowOf(now, budget.zone()), now);
    }
    callback.accept(alert);
    return Optional.of(alert);
  }

  /** Re-arms every threshold (a new period). */
  public synchronized void reset() {
    highestFired = Double.NEGATIVE_INFINITY;
  }

  /** Thresholds that count as fired in this period, ascending. */
  public synchronized List<Double> firedThresholds() {
    return ladder.firedUpTo(highestFired);
  }

  /** Marks {@code thresholds} as fired, as restored from a snapshot. */
  synchronized void restoreFired(List<Double> thresholds) {
    for (double t : thresholds) {
      highestFired = Math.max(highestFired, t);
    }
  }

  /** INFO below 0.7, WARNING from 0.7 up to below 0.9, CRITICAL from 0.9. */
  public static AlertLevel getAlertLevel(double threshold) {
    return AlertLevel.forThreshold(threshold);
  }
}
