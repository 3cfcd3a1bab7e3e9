package dev.tokenwatch.spring;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TrackedBudget;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.port.UsageStore;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP when the store answers each budget's current usage (read from the store, so a database that
 * is down or a damaged file shows here), with that usage as details; DOWN with the store's error
 * otherwise. A budget over its limit is not a fault of the store: it stays UP.
 */
final class TokenwatchHealthIndicator implements HealthIndicator {

  private final TokenTracker tracker;
  private final UsageStore store;

  TokenwatchHealthIndicator(TokenTracker tracker, UsageStore store) {
    this.tracker = tracker;
    this.store = store;
  }

  @Override
  public Health health() {
    try {
      Health.Builder health = Health.up().withDetail("store", store.toString());
      for (TrackedBudget budget : tracker.budgets()) {
        Usage usage = budget.getUsage();
        health.withDetail("budget." + budget.getBudget().name(), usage.usedOfLimit()
            + String.format(java.util.Locale.ROOT, " (%.1f%%)", usage.percentage() * 100));
      }
      return health.build();
    } catch (RuntimeException e) {
      return Health.down(e).withDetail("store", store.toString()).build();
    }
  }
}
