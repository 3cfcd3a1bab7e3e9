package dev.tokenwatch.domain;

import dev.tokenwatch.domain.cost.Pricing;
import dev.tokenwatch.domain.port.AuditRecord;
import dev.tokenwatch.domain.port.Clock;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.domain.reservation.CommitResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tracking pipeline of a {@link TokenTracker}: prices events, records them in the store (plainly or
 * as a reservation's commit) charged to the budgets' current windows, passes them to the audit trail
 * and evaluates each budget's alert rule.
 */
final class UsageRecorder {

  private final List<TrackedBudget> budgets;
  private final TrackedBudget first;
  private final UsageStore store;
  private final Clock clock;
  private final Pricing pricing;
  private final GuardedAuditTrail audit;
  private final Duration maxClockSkew;
  /** The budgets' current periods and their store windows, as last seen; null before the first call. */
  private volatile CurrentPeriods periods;

  UsageRecorder(List<TrackedBudget> budgets, UsageStore store, Clock clock, Pricing pricing, GuardedAuditTrail audit,
      Duration maxClockSkew) {
    this.budgets = budgets;
    this.first = budgets.get(0);
    this.store = store;
    this.clock = clock;
    this.pricing = pricing;
    this.audit = audit;
    this.maxClockSkew = maxClockSkew;
  }

  /** Tracks {@code event}: recorded plainly, or as the commit of reservation {@code reservationId} (valid). */
  Committed track(TokenUsageEvent event, String reservationId) {
    Objects.requireNonNull(event, "event");
    Instant now = clock.now();
    rejectFuture(event, now, -1);
    TokenUsageEvent priced = pricing.price(event);
    CurrentPeriods current = current(now);
    RecordResult result;
    boolean held = false;
    if (reservationId == null) {
      result = store.record(List.of(priced), current.windows);
    } else {
      CommitResult commit = store.commit(reservationId, List.of(priced), current.windows, now);
      result = commit.recorded();
      held = commit.held();
    }
    TrackOutcome outcome = result.duplicates() > 0 ? TrackOutcome.DUPLICATE
        : result.replaced() > 0 ? TrackOutcome.REPLACED
        : result.beforeRetention() > 0 ? TrackOutcome.BEFORE_RETENTION : TrackOutcome.RECORDED;
    Usage[] usages = usages(current, result);
    if (audit.isOn()) {
      audit.append(new AuditRecord.Tracked(now, priced, outcome, byName(usages)));
    }
    return new Committed(new TrackResult(outcome, charge(current, result, usages, now)), held);
  }

  /** Tracks a batch in one store operation; see {@link TokenTracker#trackAll}. */
  BatchResult trackAll(List<TokenUsageEvent> events) {
    Objects.requireNonNull(events, "events");
    Instant now = clock.now();
    List<TokenUsageEvent> priced = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      TokenUsageEvent event = Objects.requireNonNull(events.get(i), "events[" + i + "]");
      rejectFuture(event, now, i);
      priced.add(pricing.price(event));
    }
    CurrentPeriods current = current(now);
    RecordResult result = store.record(priced, current.windows);
    Usage[] usages = usages(current, result);
    if (audit.isOn()) {
      audit.append(new AuditRecord.BatchTracked(now, priced, result.recorded(), result.replaced(),
          result.duplicates(), byName(usages)));
    }
    return new BatchResult(charge(current, result, usages, now), result.recorded(), result.replaced(),
        result.duplicates(), result.beforeRetention());
  }

  /** The current periods at {@code now}; the same object while no budget's period has rolled over. */
  CurrentPeriods current(Instant now) {
    CurrentPeriods seen = periods;
    if (seen != null && seen.contain(now)) {
      return seen;
    }
    CurrentPeriods next = CurrentPeriods.of(budgets, now);
    periods = next;
    return next;
  }

  private Usage[] usages(CurrentPeriods current, RecordResult result) {
    Usage[] usages = new Usage[budgets.size()];
    for (int i = 0; i < usages.length; i++) {
      usages[i] = current.periods[i].usage(result.windowTotals().get(i));
    }
    return usages;
  }

  /** Each budget's usage by its name, in the tracker's order (what the audit trail records). */
  private Map<String, Usage> byName(Usage[] usages) {
    if (usages.length == 1) {
      return Map.of(first.getBudget().name(), usages[0]);
    }
    Map<String, Usage> named = new LinkedHashMap<>();
    for (int i = 0; i < usages.length; i++) {
      named.put(budgets.get(i).getBudget().name(), usages[i]);
    }
    return Collections.unmodifiableMap(named);
  }

  /** Evaluates the alert rule of each budget that grew, after the audit trail has the tracking. */
  private List<BudgetCharge> charge(CurrentPeriods current, RecordResult result, Usage[] usages, Instant now) {
    if (usages.length == 1) {
      return List.of(first.charged(current.periods[0], usages[0], result.windowDeltas().get(0), now));
    }
    BudgetCharge[] charges = new BudgetCharge[usages.length];
    for (int i = 0; i < charges.length; i++) {
      charges[i] = budgets.get(i).charged(current.periods[i], usages[i], result.windowDeltas().get(i), now);
    }
    return List.of(charges);
  }

  private void rejectFuture(TokenUsageEvent event, Instant now, int index) {
    // the sum only for an event after now: most are not, and it allocates
    if (event.timestamp().isAfter(now) && event.timestamp().isAfter(now.plus(maxClockSkew))) {
      throw new IllegalArgumentException((index >= 0 ? "events[" + index + "].timestamp" : "timestamp")
          + " must not be more than " + maxClockSkew.toMinutes() + " minutes in the future, got "
          + event.timestamp() + " (now " + now + ")");
    }
  }
}
