package dev.tokenwatch.domain;

import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.cost.Pricing;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.outbox.AlertDelivery;
import dev.tokenwatch.domain.outbox.DeliveryPolicy;
import dev.tokenwatch.domain.outbox.PendingAlert;
import dev.tokenwatch.domain.port.AlertSink;
import dev.tokenwatch.domain.port.AuditTrail;
import dev.tokenwatch.domain.port.Clock;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The tracking use case: prices token usage, records it in the ledger, charges it to every budget
 * whose scope and current period it falls in, and raises each alert threshold of each budget once
 * per period.
 *
 * <p>Each budget ({@link TrackedBudget}) has its calendar ({@link BudgetManager}: which period is
 * current) and its alert rule ({@link AlertManager}: which threshold fires). One call is one store
 * operation whatever the number of budgets: an event is charged to all its budgets or to none. All
 * state lives in the {@link UsageStore}, so the tracker can be used from many threads, and several
 * trackers (in several processes, even configured with different budgets) over one shared store see
 * exact totals, each alert raised once. An event without a cost is priced from the price table when
 * it is tracked (the built-in table unless one is set); one whose model has no price is kept
 * unpriced. Alerts go to every {@link AlertSink}, at least once: a claim queues its alert in the
 * store's outbox, a background thread delivers it and retries failures, and a tracker built later
 * (in any process) delivers what was left ({@link AlertDelivery}). Every tracked
 * event, period change, alert and reset goes to the {@link AuditTrail}, if one is set; a failing
 * trail is logged and does not break tracking.
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
  /** How long a reservation holds its estimate unless the builder says otherwise. */
  public static final Duration DEFAULT_RESERVATION_TIMEOUT = Duration.ofMinutes(10);

  private final List<TrackedBudget> budgets;
  private final Map<String, TrackedBudget> byName;
  private final TrackedBudget first;
  private final UsageStore store;
  private final Pricing pricing;
  private final AlertDelivery delivery;
  private final UsageRecorder recorder;
  private final Reservations reservations;

  private TokenTracker(Builder builder) {
    this.store = builder.store;
    this.pricing = new Pricing(builder.prices != null ? builder.prices : PriceTable.builtIn());
    GuardedAuditTrail audit = new GuardedAuditTrail(builder.auditTrail);
    this.delivery = new AlertDelivery(builder.sinks, store.outbox(), builder.clock, builder.delivery);
    Map<String, TrackedBudget> named = new LinkedHashMap<>();
    for (TokenBudget budget : builder.budgets) {
      TrackedBudget tracked = new TrackedBudget(budget, store, builder.clock, delivery, audit);
      if (named.putIfAbsent(budget.name(), tracked) != null) {
        throw new IllegalArgumentException("budget names must be unique, got '" + budget.name() + "' twice");
      }
    }
    this.byName = Collections.unmodifiableMap(named);
    this.budgets = List.copyOf(named.values());
    this.first = budgets.get(0);
    this.recorder = new UsageRecorder(budgets, store, builder.clock, pricing, audit, MAX_CLOCK_SKEW);
    HardLimits hardLimits = new HardLimits(builder.budgets, builder.reservationTimeout, pricing);
    this.reservations = new Reservations(hardLimits, recorder, store, builder.clock);
    // what earlier processes raised and did not deliver (failed, or killed first) goes out now
    delivery.takeDue();
  }

  /**
   * Waits up to {@code timeout} for the alerts this tracker raised (or took from the outbox) to reach
   * their sinks; what is left stays in the store's outbox for a later process. A CLI calls it before
   * exiting; a long-running application need not (delivery goes on in the background).
   */
  public AlertDelivery.Backlog awaitAlerts(Duration timeout) throws InterruptedException {
    return delivery.await(timeout);
  }

  /**
   * Stops delivering alerts in the background (a CLI, after {@link #awaitAlerts}); what is left stays
   * in the store's outbox for a later tracker. Alerts raised afterwards still reach local sinks.
   */
  public void stopAlertDelivery() throws InterruptedException {
    delivery.stop();
  }

  /** Alerts raised and not yet delivered to some sink (given up ones included), oldest first. */
  public List<PendingAlert> undeliveredAlerts() {
    return delivery.undelivered();
  }

  /** A tracker keeping usage in memory, passing alerts to {@code onAlert}, on the system clock. */
  public static TokenTracker create(TokenBudget budget, Consumer<Alert> onAlert) {
    return create(List.of(budget), onAlert);
  }

  /** A tracker of several budgets keeping usage in memory, passing alerts to {@code onAlert}. */
  public static TokenTracker create(List<TokenBudget> budgets, Consumer<Alert> onAlert) {
    Objects.requireNonNull(onAlert, "onAlert");
    return builder(budgets).store(new InMemoryUsageStore()).sink(onAlert::accept).build();
  }

  /** A builder for a tracker of {@code budget}. */
  public static Builder builder(TokenBudget budget) {
    return new Builder(List.of(Objects.requireNonNull(budget, "budget")));
  }

  /** A builder for a tracker of {@code budgets} (at least one; names unique), charged in this order. */
  public static Builder builder(List<TokenBudget> budgets) {
    return new Builder(budgets);
  }

  /**
   * Tracks one event: prices it if it has no cost, records it in the ledger and in the current
   * period of every budget it falls under, evaluates the alert rule of each budget that grew,
   * delivers any alert to every sink and passes the event to the audit trail.
   *
   * @throws IllegalArgumentException if the event is stamped more than 5 minutes in the future
   */
  public TrackResult track(TokenUsageEvent event) {
    return recorder.track(event, null).tracked();
  }

  /**
   * Reserves {@code estimate} before an LLM call: its tokens (priced by its model for budgets in
   * USD) are held in the current period of every hard budget whose scope it falls in (by its model,
   * project, session and tags), until the call is settled with {@link Reservation#commit} or {@link
   * Reservation#release}, or the reservation times out. Atomic in the store across threads and
   * processes: committed usage plus open reservations of a hard budget never pass its limit through
   * a reservation. Soft budgets are not consulted; a call under no hard budget gets a reservation
   * that holds nothing. The estimate's timestamp is ignored (the call is now).
   *
   * @throws BudgetExceededException if a hard budget's committed usage plus its open reservations
   *     plus the estimate would pass its limit; nothing is reserved then
   * @throws IllegalArgumentException if a hard budget is in USD and the model has no price
   */
  public Reservation reserve(TokenUsageEvent estimate) {
    return reservations.reserve(estimate);
  }

  /**
   * Reserves {@code estimatedTokens} of {@code model} (see {@link #reserve(TokenUsageEvent)}); for a
   * budget in USD they are priced as output tokens, the dearest kind, so the reservation errs on the
   * side of the limit.
   */
  public Reservation reserve(String model, long estimatedTokens) {
    return reservations.reserve(model, estimatedTokens);
  }

  /**
   * Records {@code actual}, the usage of the call reserved as {@code reservationId}, and ends the
   * reservation in the same store operation (for a caller that holds only the id, such as another
   * process). The usage is recorded in full, also after the reservation expired.
   */
  public Committed commit(String reservationId, TokenUsageEvent actual) {
    return reservations.commit(reservationId, actual);
  }

  /** Ends reservation {@code reservationId} without usage; whether it was still open. */
  public boolean release(String reservationId) {
    return reservations.release(reservationId);
  }

  /**
   * Tracks a batch of events in one store operation (for a durable store, one durable write). The
   * alert rule of each budget is evaluated once, after the batch: it raises at most one alert per
   * budget, for the highest threshold reached.
   *
   * @throws IllegalArgumentException if any event is stamped more than 5 minutes in the future;
   *     nothing of the batch is applied then
   */
  public BatchResult trackAll(List<TokenUsageEvent> events) {
    return recorder.trackAll(events);
  }

  /** The budgets, in the order they were given. */
  public List<TrackedBudget> budgets() {
    return budgets;
  }

  /**
   * The budget named {@code name}.
   *
   * @throws IllegalArgumentException naming the budgets there are, if none has that name
   */
  public TrackedBudget budget(String name) {
    TrackedBudget budget = byName.get(name);
    if (budget == null) {
      throw new IllegalArgumentException("no budget named '" + name + "'; the budgets are "
          + String.join(", ", byName.keySet()));
    }
    return budget;
  }

  /** Usage of the first budget's current period. */
  public Usage getUsage() {
    return first.getUsage();
  }

  /** Totals of the first budget's current period (every kind of token, calls and cost). */
  public Counts getPeriodCounts() {
    return first.getPeriodCounts();
  }

  /** Totals per model of the first budget's current period, largest first. */
  public UsageAnswer getModelUsage() {
    return first.getModelUsage();
  }

  /** The first budget's totals per period of the events in {@code [from, until)}. */
  public UsageAnswer getPeriodTotals(Instant from, Instant until) {
    return first.getPeriodTotals(from, until);
  }

  /** The answer of the ledger to {@code query} (not limited to any budget's scope or period). */
  public UsageAnswer query(UsageQuery query) {
    return store.query(query);
  }

  /** The last {@code historySize} events of the first budget's scope, oldest first. */
  public List<TokenUsageEvent> getHistory() {
    return first.getHistory();
  }

  /** Thresholds that count as fired in the first budget's current period, ascending. */
  public List<Double> getFiredThresholds() {
    return first.getFiredThresholds();
  }

  /** The first budget's current period. */
  public PeriodWindow getCurrentPeriod() {
    return first.getCurrentPeriod();
  }

  /** The first budget's calendar. */
  public BudgetManager calendar() {
    return first.calendar();
  }

  /** Where the store's retained usage begins, or {@code null} if it keeps everything. */
  public Instant retainedFrom() {
    return store.retainedFrom();
  }

  /** The first budget (the budget of a one-budget tracker). */
  public TokenBudget getBudget() {
    return first.getBudget();
  }

  /** The price table events are priced with. */
  public PriceTable prices() {
    return pricing.table();
  }

  /** Clears the first budget's current period; see {@link TrackedBudget#reset()}. */
  public void reset() {
    first.reset();
  }

  /**
   * Builds a {@link TokenTracker}; the store defaults to memory, the clock to the system's, the
   * prices to the built-in table and the audit trail to none.
   */
  public static final class Builder {
    private final List<TokenBudget> budgets;
    private UsageStore store;
    private final List<AlertSink> sinks = new ArrayList<>();
    private Clock clock = Clock.system();
    private AuditTrail auditTrail;
    private PriceTable prices;
    private Duration reservationTimeout = DEFAULT_RESERVATION_TIMEOUT;
    private DeliveryPolicy delivery = DeliveryPolicy.DEFAULT;

    private Builder(List<TokenBudget> budgets) {
      Objects.requireNonNull(budgets, "budgets");
      if (budgets.isEmpty()) {
        throw new IllegalArgumentException("a tracker needs at least one budget");
      }
      for (int i = 0; i < budgets.size(); i++) {
        Objects.requireNonNull(budgets.get(i), "budgets[" + i + "]");
      }
      this.budgets = List.copyOf(budgets);
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

    /** The prices events without a cost are priced with; defaults to {@link PriceTable#builtIn()}. */
    public Builder prices(PriceTable value) {
      this.prices = Objects.requireNonNull(value, "prices");
      return this;
    }

    /**
     * How long a reservation holds its estimate if it is not settled (a process that dies holding one
     * does not block its budgets for longer); 10 minutes by default.
     */
    public Builder reservationTimeout(Duration value) {
      Objects.requireNonNull(value, "reservationTimeout");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("reservationTimeout must be positive, got " + value);
      }
      this.reservationTimeout = value;
      return this;
    }

    /** How alerts are retried and when they are given up; {@link DeliveryPolicy#DEFAULT} by default. */
    public Builder alertDelivery(DeliveryPolicy value) {
      this.delivery = Objects.requireNonNull(value, "alertDelivery");
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
