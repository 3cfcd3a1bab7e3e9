package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.outbox.AlertDelivery;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The forecast rule of one budget: after usage grows, the highest forecast threshold the period's
 * {@link Forecast} reaches, not reached by usage itself and not fired in the period, raises one
 * forecast alert; it and every lower forecast threshold count as fired. Forecast thresholds are
 * claimed in the store like the others, in a window of their own ({@link #claimsWindow}), so each
 * fires exactly once per period across processes. Thread-safe.
 */
final class ForecastManager {

  private final TokenBudget budget;
  private final UsageStore store;
  private final AlertDelivery delivery;
  private final double[] thresholds;
  private final long[] amounts;
  /** The highest forecast threshold known to be claimed, and in which period. */
  private volatile Known known = Known.NONE;

  ForecastManager(TokenBudget budget, UsageStore store, AlertDelivery delivery) {
    this.budget = budget;
    this.store = store;
    this.delivery = delivery;
    List<Double> sorted = budget.forecastThresholds();
    thresholds = new double[sorted.size()];
    amounts = new long[sorted.size()];
    for (int i = 0; i < thresholds.length; i++) {
      thresholds[i] = sorted.get(i);
      amounts[i] = budget.amountAt(thresholds[i]);
    }
  }

  /**
   * The window forecast claims of {@code period} are kept in: the period's bounds and scope under a
   * name no budget can have (budget names have no ':'), never charged with usage.
   */
  static BudgetWindow claimsWindow(BudgetManager.Period period) {
    BudgetWindow w = period.storeWindow();
    return new BudgetWindow("forecast:" + w.budget(), w.start(), w.end(), w.scope());
  }

  /** Evaluates the rule for {@code usage} of {@code period}, just grown; delivers and returns the alert raised. */
  Optional<Alert> evaluate(BudgetManager.Period period, Usage usage, Instant now) {
    if (thresholds.length == 0) {
      return Optional.empty();
    }
    Optional<Forecast> forecast = Forecast.of(budget, period.window(), usage.used(), now);
    if (forecast.isEmpty()) {
      return Optional.empty();
    }
    int reached = -1;
    for (int i = thresholds.length - 1; i >= 0; i--) {
      if (forecast.get().projected() >= amounts[i] && usage.used() < amounts[i]) {
        reached = i;
        break;
      }
    }
    if (reached < 0) {
      return Optional.empty();
    }
    Known seen = known;
    // usage below what it was when the claim was learnt means a reset (perhaps elsewhere): ask again
    if (seen.periodStart.equals(period.start()) && usage.used() >= seen.usedWhenLearnt
        && thresholds[reached] <= seen.threshold) {
      return Optional.empty();
    }
    long elapsed = now.toEpochMilli() - period.start().toEpochMilli();
    Instant reachesAt = Forecast.reachedAt(amounts[reached], usage.used(), elapsed, period.window(), now);
    if (reachesAt == null) {
      reachesAt = period.window().endInstant();
    }
    AlertClaim claim = delivery.claimFor(Alert.forecast(budget, thresholds[reached], usage, reachesAt,
        period.window(), now));
    boolean won = store.claimThreshold(claimsWindow(period), thresholds[reached], claim);
    known = new Known(period.start(), thresholds[reached], usage.used());
    if (!won) {
      return Optional.empty();
    }
    delivery.claimed(claim);
    return Optional.of(claim.alert());
  }

  /** Forecast thresholds that count as fired in {@code period}, ascending. */
  List<Double> fired(BudgetManager.Period period) {
    SortedSet<Double> claimed = store.claimedThresholds(claimsWindow(period));
    if (claimed.isEmpty()) {
      return List.of();
    }
    double highest = claimed.last();
    return budget.forecastThresholds().stream().filter(t -> t <= highest).toList();
  }

  void forgetClaims() {
    known = Known.NONE;
  }

  private record Known(Instant periodStart, double threshold, long usedWhenLearnt) {
    static final Known NONE = new Known(Instant.MIN, Double.NEGATIVE_INFINITY, 0);
  }
}
