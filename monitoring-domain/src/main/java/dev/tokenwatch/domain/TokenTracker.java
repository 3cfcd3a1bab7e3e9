package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.AlertSink;
import dev.tokenwatch.domain.port.AuditRecord;
import dev.tokenwatch.domain.port.AuditTrail;
import dev.tokenwatch.domain.port.Clock;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The tracking use case: records token usage in the ledger, charges it to the budget's calendar
 * period and raises each alert threshold once per period.
 *
 * <p>The parts are the budget's calendar ({@link BudgetManager}: which period is current) and its
 * alert rule ({@link AlertManager}: which threshold fires); all state lives in the {@link
 * UsageStore}, so the tracker can be used from many threads, and several trackers (in several
 * processes) over one shared store see one budget, with exact totals and each alert raised once.
 * Alerts go to every {@link AlertSink}; a failing sink is logged and skipped. Every tracked event,
 * period change, alert and reset goes to the {@link AuditTrail}, if one is set; a failing trail is
 * logged and does not break tracking.
 *
 * <pre>{@code
 * TokenTracker tracker = TokenTracker.create(TokenBudget.of(1_000_000, BudgetPeriod.MONTHLY),
 *     alert -> System.err.println(alert.message()));
 * tracker.track(TokenUsageEvent.builder("gpt-4o").inputTokens(1200).outputTokens(300)
 *     .timestamp(Instant.now()).build());
 * Usage usage = tracker.getUsage();
 * }</pre>
 */
public final class TokenTracker {

  /** Events stamped further ahead of the clock than this are rejected. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  private final TokenBudget budget;
  private final UsageStore store;
  private final Clock clock;
  private final GuardedAuditTrail audit;
  private final BudgetManager calendar;
  private final AlertManager alerts;

  private TokenTracker(Builder builder) {
    this.budget = builder.budget;
    this.store = builder.store;
    this.clock = builder.clock;
    this.audit = new GuardedAuditTrail(builder.auditTrail);
    this.calendar = new BudgetManager(budget, clock, period -> audit.append(new AuditRecord.PeriodRolled(clock.now(),
        budget.name(), period.window().start().toOffsetDateTime(), period.window().start().toOffsetDateTime(),
        period.window().end().toOffsetDateTime())));
    this.alerts = new AlertManager(budget, store, new FanOutAlertSink(builder.sinks));
  }

  /** A tracker keeping usage in memory, passing alerts to {@code onAlert}, on the system clock. */
  public static TokenTracker create(TokenBudget budget, Consumer<Alert> onAlert) {
    Objects.requireNonNull(onAlert, "onAlert");
    return builder(budget).store(new InMemoryUsageStore()).sink(onAlert::accept).build();
  }

  /** A builder for a tracker of {@code budget}. */
  public static Builder builder(TokenBudget budget) {
    return new Builder(budget);
  }

  /**
   * Tracks one event: records it in the ledger and in the current period if it falls there,
   * evaluates the alert rule if the current period grew, delivers any alert to every sink and passes
   * the event to the audit trail.
   *
   * @throws IllegalArgumentException if the event is stamped more than 5 minutes in the future
   */
  public TrackResult track(TokenUsageEvent event) {
    Objects.requireNonNull(event, "event");
    Instant now = clock.now();
    rejectFuture(event, now, -1);
    BudgetManager.Period period = calendar.current(now);
    RecordResult result = store.record(List.of(event), List.of(period.storeWindow()));
    Usage usage = calendar.usage(result.windowTotals().get(0).totalTokens());
    TrackOutcome outcome = result.duplicates() > 0 ? TrackOutcome.DUPLICATE
        : result.replaced() > 0 ? TrackOutcome.REPLACED
        : result.beforeRetention() > 0 ? TrackOutcome.BEFORE_RETENTION : TrackOutcome.RECORDED;
    audit.append(new AuditRecord.Tracked(now, budget.name(), event, outcome, usage));
    Optional<Alert> alert = raiseIfGrown(period, result, usage, now);
    return new TrackResult(alert, usage, outcome);
  }

  /**
   * Tracks a batch of events in one store operation (for a durable store, one durable write). The
   * alert rule is evaluated once, after the batch: it raises at most one alert, for the highest
   * threshold reached.
   *
   * @throws IllegalArgumentException if any event is stamped more than 5 minutes in the future;
   *     nothing of the batch is applied then
   */
  public BatchResult trackAll(List<TokenUsageEvent> events) {
    Objects.requireNonNull(events, "events");
    Instant now = clock.now();
    for (int i = 0; i < events.size(); i++) {
      rejectFuture(Objects.requireNonNull(events.get(i), "events[" + i + "]"), now, i);
    }
    BudgetManager.Period period = calendar.current(now);
    RecordResult result = store.record(new ArrayList<>(events), List.of(period.storeWindow()));
    Usage usage = calendar.usage(result.windowTotals().get(0).totalTokens());
    audit.append(new AuditRecord.BatchTracked(now, budget.name(), events, result.recorded(), result.replaced(),
        result.duplicates(), usage));
    Optional<Alert> alert = raiseIfGrown(period, result, usage, now);
    return new BatchResult(alert, usage, result.recorded(), result.replaced(), result.duplicates(),
        result.beforeRetention());
  }

  private Optional<Alert> raiseIfGrown(BudgetManager.Period period, RecordResult result, Usage usage, Instant now) {
    if (result.windowDeltas().get(0).totalTokens() <= 0) {
      return Optional.empty();
    }
    Optional<Alert> alert = alerts.evaluate(period, usage, now);
    alert.ifPresent(a -> audit.append(new AuditRecord.AlertRaised(now, budget.name(), a)));
    return alert;
  }

  /** Usage of the current period. */
  public Usage getUsage() {
    return calendar.usage(getPeriodCounts().totalTokens());
  }

  /** Totals of the current period (every kind of token and the calls). */
  public Counts getPeriodCounts() {
    return store.windowTotals(calendar.current().storeWindow());
  }

  /** Totals per model of the current period, largest first. */
  public UsageAnswer getModelUsage() {
    return store.query(calendar.current().storeWindow().query().groupBy(Dimension.MODEL));
  }

  /**
   * The budget's totals per period (its calendar unit, zone and scope) of the events in {@code [from,
   * until)} ({@code null} for open ends): one row per period with usage.
   */
  public UsageAnswer getPeriodTotals(Instant from, Instant until) {
    return store.query(UsageQuery.all().between(from, until).filter(budget.scope())
        .per(budget.period().grain(), budget.zone()));
  }

  /** The answer of the ledger to {@code query} (not limited to the budget's scope or period). */
  public UsageAnswer query(UsageQuery query) {
    return store.query(query);
  }

  /** The last {@code historySize} events of the budget's scope by their timestamps, oldest first. */
  public List<TokenUsageEvent> getHistory() {
    return store.history(budget.scope(), budget.historySize());
  }

  /** Thresholds that count as fired in the current period, ascending. */
  public List<Double> getFiredThresholds() {
    return alerts.firedThresholds(calendar.current());
  }

  /** The current period. */
  public PeriodWindow getCurrentPeriod() {
    return calendar.current().window();
  }

  /** The budget's calendar: its current period and the period of any instant. */
  public BudgetManager calendar() {
    return calendar;
  }

  /** Where the store's retained usage begins, or {@code null} if it keeps everything. */
  public Instant retainedFrom() {
    return store.retainedFrom();
  }

  /** The budget tracked. */
  public TokenBudget getBudget() {
    return budget;
  }

  /**
   * Clears the current period: its events leave the ledger (so their request ids count again) and
   * its thresholds are re-armed.
   */
  public void reset() {
    BudgetManager.Period period = calendar.current();
    store.resetWindow(period.storeWindow());
    alerts.forgetClaims();
    audit.append(new AuditRecord.Reset(clock.now(), budget.name(), period.window().start().toOffsetDateTime(),
        period.window().end().toOffsetDateTime()));
  }

  private static void rejectFuture(TokenUsageEvent event, Instant now, int index) {
    if (event.timestamp().isAfter(now.plus(MAX_CLOCK_SKEW))) {
      throw new IllegalArgumentException((index >= 0 ? "events[" + index + "].timestamp" : "timestamp")
          + " must not be more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future, got "
          + event.timestamp() + " (now " + now + ")");
    }
  }

  /**
   * Builds a {@link TokenTracker}; the store defaults to memory, the clock to the system's, and the
   * audit trail to none.
   */
  public static final class Builder {
    private final TokenBudget budget;
    private UsageStore store;
    private final List<AlertSink> sinks = new ArrayList<>();
    private Clock clock = Clock.system();
    private AuditTrail auditTrail = record -> {};

    private Builder(TokenBudget budget) {
      this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** Where usage lives; defaults to a new {@link InMemoryUsageStore}. */
    public Builder store(UsageStore value) {
      this.store = Objects.requireNonNull(value, "store");
      return this;
    }

    /** Adds a sink that receives every alert. */
    public Builder sink(AlertSink value) {
      sinks.add(Objects.requireNonNull(value, "sink"));
      return this;
    }

    /** Adds sinks that receive every alert. */
    public Builder sinks(List<? extends AlertSink> values) {
      values.forEach(this::sink);
      return this;
    }

    /** The clock; defaults to the system clock. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Where the audit trail goes; defaults to nowhere. */
    public Builder auditTrail(AuditTrail value) {
      this.auditTrail = Objects.requireNonNull(value, "auditTrail");
      return this;
    }

    public TokenTracker build() {
      if (store == null) {
        store = new InMemoryUsageStore();
      }
      return new TokenTracker(this);
    }
  }
}
