package dev.tokenwatch.app;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.PeriodTotals;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import java.util.function.Supplier;

/**
 * Turns any failure of the configured store into a {@link StoreException} that names the store, so
 * the CLI can tell store failures (exit 3) from bad input (exit 2) whatever the adapter throws.
 */
final class GuardedUsageStore implements UsageStore {

  private final UsageStore store;
  private final String description;

  GuardedUsageStore(UsageStore store, String description) {
    this.store = store;
    this.description = description;
  }

  private <T> T guard(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw new StoreException(description + ": " + operation + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public RecordResult record(String budget, Instant currentPeriodStart, List<ChargedEvent> events, int historySize) {
    return guard("recording usage", () -> store.record(budget, currentPeriodStart, events, historySize));
  }

  @Override
  public boolean claimThreshold(String budget, Instant periodStart, double threshold) {
    return guard("claiming an alert threshold", () -> store.claimThreshold(budget, periodStart, threshold));
  }

  @Override
  public SortedSet<Double> claimedThresholds(String budget, Instant periodStart) {
    return guard("reading fired alerts", () -> store.claimedThresholds(budget, periodStart));
  }

  @Override
  public PeriodTotals periodTotals(String budget, Instant periodStart) {
    return guard("reading usage", () -> store.periodTotals(budget, periodStart));
  }

  @Override
  public List<PeriodTotals> periodTotalsBetween(String budget, Instant fromInclusive, Instant toExclusive) {
    return guard("reading usage", () -> store.periodTotalsBetween(budget, fromInclusive, toExclusive));
  }

  @Override
  public List<TokenUsageEvent> history(String budget, int limit) {
    return guard("reading history", () -> store.history(budget, limit));
  }

  @Override
  public void resetPeriod(String budget, Instant periodStart) {
    guard("resetting the period", () -> {
      store.resetPeriod(budget, periodStart);
      return null;
    });
  }

  @Override
  public void close() {
    // The store itself is registered with AppResources, which closes it; this view owns nothing.
  }

  @Override
  public String toString() {
    return "GuardedUsageStore[" + description + "]";
  }
}
