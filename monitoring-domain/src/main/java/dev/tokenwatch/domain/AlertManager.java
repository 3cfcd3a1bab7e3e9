package dev.tokenwatch.domain;

import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.outbox.AlertDelivery;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The alert rule of one budget: after usage grows, the highest threshold reached that has not fired
 * in the period raises one alert, and it and every lower threshold count as fired; alerts never step
 * down in a period. Thresholds are claimed in the {@link UsageStore}, so each fires exactly once per
 * period across threads, restarts and processes. A claim queues its alert in the store's outbox in
 * the same step, and {@link AlertDelivery} delivers it from there. Thread-safe.
 */
public final class AlertManager {

  private final TokenBudget budget;
  private final UsageStore store;
  private final AlertDelivery delivery;
  private final ThresholdLadder ladder;
  /**
   * A threshold known to be claimed in a period, and the usage seen when it was learnt: while usage
   * has not dropped below that, no store call is needed at or below the threshold. A drop means the
   * period was reset (perhaps by another process), so the store is asked again.
   */
  private volatile KnownClaim knownClaim = KnownClaim.NONE;

  /**
   * The alert rule of {@code budget}, claiming in {@code store}, which queues the alerts for {@code
   * delivery}.
   */
  public AlertManager(TokenBudget budget, UsageStore store, AlertDelivery delivery) {
    this.budget = budget;
    this.store = store;
    this.delivery = delivery;
    this.ladder = new ThresholdLadder(budget);
  }

  /**
   * Evaluates the rule for {@code usage} of {@code period}, just grown: claims the alert to raise, if
   * any, with its outbox entries, hands it to delivery and returns it.
   */
  public Optional<Alert> evaluate(BudgetManager.Period period, Usage usage, Instant now) {
    double reached = ladder.highestReached(usage.used());
    if (Double.isNaN(reached)) {
      return Optional.empty();
    }
    KnownClaim known = knownClaim;
    boolean stillValid = known.periodStart.equals(period.start()) && usage.used() >= known.usedWhenLearnt;
    if (stillValid && reached <= known.threshold) {
      return Optional.empty();
    }
    AlertClaim claim = delivery.claimFor(Alert.of(budget, reached, usage, period.window(), now));
    boolean won = store.claimThreshold(period.storeWindow(), reached, claim);
    if (!stillValid || reached > known.threshold) {
      knownClaim = new KnownClaim(period.start(), reached, usage.used());
    }
    if (!won) {
      return Optional.empty();
    }
    delivery.claimed(claim);
    return Optional.of(claim.alert());
  }

  /** Thresholds that count as fired in {@code period}, ascending. */
  public List<Double> firedThresholds(BudgetManager.Period period) {
    SortedSet<Double> claimed = store.claimedThresholds(period.storeWindow());
    return claimed.isEmpty() ? List.of() : ladder.firedUpTo(claimed.last());
  }

  /** Forgets what is known of claims (after a reset of the period). */
  public void forgetClaims() {
    knownClaim = KnownClaim.NONE;
  }

  /** INFO below 0.7, WARNING from 0.7 up to below 0.9, CRITICAL from 0.9. */
  public static AlertLevel getAlertLevel(double threshold) {
    return AlertLevel.forThreshold(threshold);
  }

  private record KnownClaim(Instant periodStart, double threshold, long usedWhenLearnt) {
    static final KnownClaim NONE = new KnownClaim(Instant.MIN, Double.NEGATIVE_INFINITY, 0);
  }
}
