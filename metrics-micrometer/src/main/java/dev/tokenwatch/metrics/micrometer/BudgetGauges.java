package dev.tokenwatch.metrics.micrometer;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TrackedBudget;
import dev.tokenwatch.domain.Usage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The gauges of one budget. They read its usage from the ledger at most once per refresh interval
 * (a scrape reads four gauges; other processes may charge the same store); a tracked event's result
 * brings a fresher figure in between.
 */
final class BudgetGauges {

  private static final Logger LOG = LogManager.getLogger(TokenwatchMetrics.class);
  private static final double NANOS_PER_USD = 1e9;

  private final TrackedBudget budget;
  private final long refreshNanos;
  private volatile Usage usage;
  private volatile long readAt;

  BudgetGauges(TrackedBudget budget, long refreshNanos) {
    this.budget = budget;
    this.refreshNanos = refreshNanos;
  }

  String name() {
    return budget.getBudget().name();
  }

  void register(MeterRegistry registry) {
    BudgetUnit unit = budget.getBudget().unit();
    String baseUnit = unit == BudgetUnit.USD ? "usd" : "tokens";
    Tags tags = Tags.of(TokenwatchMetrics.BUDGET_TAG, name());
    Tags unitTags = tags.and(TokenwatchMetrics.UNIT_TAG, baseUnit);
    gauge(registry, TokenwatchMetrics.BUDGET_USED, unitTags, baseUnit, "Amount charged to the budget this period",
        u -> amount(u.used(), u.unit()));
    gauge(registry, TokenwatchMetrics.BUDGET_LIMIT, unitTags, baseUnit, "The budget's limit per period",
        u -> amount(u.limit(), u.unit()));
    gauge(registry, TokenwatchMetrics.BUDGET_RATIO, tags, null, "Share of the limit used this period (1 = 100%)",
        Usage::percentage);
    gauge(registry, TokenwatchMetrics.BUDGET_COST, tags, null, "Known cost of the budget's calls this period, USD",
        u -> u.counts().costNanoUsd() / NANOS_PER_USD);
  }

  private void gauge(MeterRegistry registry, String name, Tags tags, String baseUnit, String description,
      ToDoubleFunction<Usage> value) {
    Gauge.builder(name, this, gauges -> {
          Usage current = gauges.usage();
          return current == null ? Double.NaN : value.applyAsDouble(current);
        })
        .tags(tags).baseUnit(baseUnit).description(description).strongReference(true)
        .register(registry);
  }

  /** The usage, re-read from the ledger if the last figure is older than the refresh interval; null if none could be read. */
  Usage usage() {
    long now = System.nanoTime();
    Usage seen = usage;
    if (seen != null && now - readAt < refreshNanos) {
      return seen;
    }
    try {
      Usage read = budget.getUsage();
      charged(read, now);
      return read;
    } catch (RuntimeException e) {
      LOG.warn("tokenwatch: could not read the usage of budget '{}' for its gauges; they show the last figure",
          name(), e);
      return seen;
    }
  }

  /** A fresh figure, from a tracked event's result. */
  void charged(Usage fresh, long atNanos) {
    usage = fresh;
    readAt = atNanos;
  }

  private static double amount(long amount, BudgetUnit unit) {
    return unit == BudgetUnit.USD ? amount / NANOS_PER_USD : amount;
  }
}
