package dev.tokenwatch.domain;

import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.AlertSink;
import dev.tokenwatch.domain.port.AuditRecord;
import dev.tokenwatch.domain.port.AuditTrail;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.Clock;
import dev.tokenwatch.domain.port.PeriodTotals;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Consumer;

/**
 * The tracking use case: charges token usage to a budget's calendar period and raises each alert
 * threshold once per period.
 *
 * <p>All state lives in the {@link UsageStore}: the tracker can be used from many threads, and
 * several trackers (in several processes) over one shared store see one budget, with exact totals
 * and each alert raised once. Alerts go to every {@link AlertSink}; a failing sink is logged and
 * skipped. Every tracked event, period change, alert and reset goes to the {@link AuditTrail}, if
 * one is set; a failing trail is logged and does not break tracking.
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
  private final AlertSink sink;
  private final Clock clock;
  private final ThresholdLadder ladder;
  private final GuardedAuditTrail audit;
  /** The period containing now, as last seen; replaced when the clock passes its end. */
  private volatile CurrentPeriod current;
  /**
   * A threshold known to be claimed in a period, and the usage seen when it was learnt: while usage
   * has not dropped below that, no store call is needed at or below the threshold. A drop means the
   * period was reset (perhaps by another process), so the store is asked again.
   */
  private volatile KnownClaim knownClaim;

  private TokenTracker(Builder builder) {
    this.budget = builder.budget;
    this.store = builder.store;
    this.sink = new FanOutAlertSink(builder.sinks);
    this.clock = builder.clock;
    this.ladder = new ThresholdLadder(budget);
    this.audit = new GuardedAuditTrail(builder.auditTrail);
    this.current = new CurrentPeriod(budget.period().windowOf(clock.now(), budget.zone()));
    this.knownClaim = new KnownClaim(current.start, Double.NEGATIVE_INFINITY, 0);
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
   * Tracks one event: rolls the period over if it has ended, records the event in the period of its
   * own timestamp, evaluates the alert rule if the current period grew, delivers any alert to every
   * sink and passes the event to the audit trail.
   *
   * @throws IllegalArgumentException if the event is stamped more than 5 minutes in the future
   */
  public TrackResult track(TokenUsageEvent event) {
    Objects.requireNonNull(event, "event");
    Instant now = clock.now();
    rejectFuture(event, now, -1);
    CurrentPeriod period = currentPeriod(now);
    ChargedEvent charged = new ChargedEvent(event, periodStartOf(event.timestamp(), period));
    RecordResult result = store.record(budget.name(), period.start, List.of(charged), budget.historySize());
    Usage usage = Usage.of(result.currentPeriodUsed(), budget.limit());
    TrackOutcome outcome = result.duplicates() > 0 ? TrackOutcome.DUPLICATE
        : result.replaced() > 0 ? TrackOutcome.REPLACED : TrackOutcome.RECORDED;
    audit.append(new AuditRecord.Tracked(now, budget.name(), event, outcome, usage));
    Optional<Alert> alert = result.currentPeriodDelta() > 0 ? evaluate(period, usage, now) : Optional.empty();
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
    CurrentPeriod period = currentPeriod(now);
    List<ChargedEvent> charged = new ArrayList<>(events.size());
    for (TokenUsageEvent event : events) {
      charged.add(new ChargedEvent(event, periodStartOf(event.timestamp(), period)));
    }
    RecordResult result = charged.isEmpty()
        ? new RecordResult(store.periodTotals(budget.name(), period.start).used(), 0, 0, 0, 0)
        : store.record(budget.name(), period.start, charged, budget.historySize());
    Usage usage = Usage.of(result.currentPeriodUsed(), budget.limit());
    audit.append(new AuditRecord.BatchTracked(now, budget.name(), events, result.recorded(), result.replaced(),
        result.duplicates(), usage));
    Optional<Alert> alert = result.currentPeriodDelta() > 0 ? evaluate(period, usage, now) : Optional.empty();
    return new BatchResult(alert, usage, result.recorded(), result.replaced(), result.duplicates());
  }

  /** Usage of the current period. */
  public Usage getUsage() {
    return Usage.of(store.periodTotals(budget.name(), currentPeriod(clock.now()).start).used(), budget.limit());
  }

  /** Totals per model (tokens of each type and calls) of the current period. */
  public PeriodTotals getModelUsage() {
    return store.periodTotals(budget.name(), currentPeriod(clock.now()).start);
  }

  /** Totals of every period with usage whose start lies in [{@code from}, {@code to}). */
  public List<PeriodTotals> getPeriodTotals(Instant from, Instant to) {
    return store.periodTotalsBetween(budget.name(), from, to);
  }

  /** The last {@code historySize} events, oldest first. */
  public List<TokenUsageEvent> getHistory() {
    return store.history(budget.name(), budget.historySize());
  }

  /** Thresholds that count as fired in the current period, ascending. */
  public List<Double> getFiredThresholds() {
    SortedSet<Double> claimed = store.claimedThresholds(budget.name(), currentPeriod(clock.now()).start);
    return claimed.isEmpty() ? List.of() : ladder.firedUpTo(claimed.last());
  }

  /** The current period. */
  public PeriodWindow getCurrentPeriod() {
    return currentPeriod(clock.now()).window;
  }

  /** The budget tracked. */
  public TokenBudget getBudget() {
    return budget;
  }

  /** Clears the current period: usage, fired thresholds and its events. */
  public void reset() {
    CurrentPeriod period = currentPeriod(clock.now());
    store.resetPeriod(budget.name(), period.start);
    knownClaim = new KnownClaim(period.start, Double.NEGATIVE_INFINITY, 0);
    audit.append(new AuditRecord.Reset(clock.now(), budget.name(), period.window.start().toOffsetDateTime(),
        period.window.end().toOffsetDateTime()));
  }

  /** The current period's state: used tokens, period start, fired thresholds. */
  public BudgetSnapshot serialize() {
    CurrentPeriod period = currentPeriod(clock.now());
    return new BudgetSnapshot(store.periodTotals(budget.name(), period.start).used(), period.start,
        getFiredThresholds());
  }

  private Optional<Alert> evaluate(CurrentPeriod period, Usage usage, Instant now) {
    double reached = ladder.highestReached(usage.used());
    if (Double.isNaN(reached)) {
      return Optional.empty();
    }
    Instant periodStart = period.start;
    KnownClaim known = knownClaim;
    boolean stillValid = known.periodStart.equals(periodStart) && usage.used() >= known.usedWhenLearnt;
    if (stillValid && reached <= known.threshold) {
      return Optional.empty();
    }
    boolean won = store.claimThreshold(budget.name(), periodStart, reached);
    if (!stillValid || reached > known.threshold) {
      knownClaim = new KnownClaim(periodStart, reached, usage.used());
    }
    if (!won) {
      return Optional.empty();
    }
    Alert alert = Alert.of(budget, reached, usage, period.window, now);
    audit.append(new AuditRecord.AlertRaised(now, budget.name(), alert));
    sink.deliver(alert);
    return Optional.of(alert);
  }

  private CurrentPeriod currentPeriod(Instant now) {
    CurrentPeriod period = current;
    if (period.contains(now)) {
      return period;
    }
    PeriodWindow next = budget.period().windowOf(now, budget.zone());
    synchronized (this) {
      if (!current.window.equals(next)) {
        if (next.startInstant().isAfter(current.start)) {
          audit.append(new AuditRecord.PeriodRolled(now, budget.name(), current.window.end().toOffsetDateTime(),
              next.start().toOffsetDateTime(), next.end().toOffsetDateTime()));
        }
        current = new CurrentPeriod(next);
      }
      return current;
    }
  }

  private Instant periodStartOf(Instant timestamp, CurrentPeriod period) {
    return period.contains(timestamp) ? period.start : budget.period().startOf(timestamp, budget.zone()).toInstant();
  }

  /** A period window with its bounds as instants, computed once: checked on every event. */
  private static final class CurrentPeriod {
    final PeriodWindow window;
    final Instant start;
    final Instant end;

    CurrentPeriod(PeriodWindow window) {
      this.window = window;
      this.start = window.startInstant();
      this.end = window.endInstant();
    }

    boolean contains(Instant instant) {
      return instant.compareTo(start) >= 0 && instant.compareTo(end) < 0;
    }
  }

  private static void rejectFuture(TokenUsageEvent event, Instant now, int index) {
    if (event.timestamp().isAfter(now.plus(MAX_CLOCK_SKEW))) {
      throw new IllegalArgumentException((index >= 0 ? "events[" + index + "].timestamp" : "timestamp")
          + " must not be more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future, got "
          + event.timestamp() + " (now " + now + ")");
    }
  }

  private record KnownClaim(Instant periodStart, double threshold, long usedWhenLearnt) {}

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
