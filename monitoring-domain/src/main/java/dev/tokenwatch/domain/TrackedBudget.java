package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.outbox.AlertDelivery;
import dev.tokenwatch.domain.port.AuditRecord;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.domain.reservation.OpenReservations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One budget of a {@link TokenTracker}: its calendar, its alert rule and what the store knows of its
 * periods. Obtained from {@link TokenTracker#budgets()} or {@link TokenTracker#budget(String)}.
 * Thread-safe.
 */
public final class TrackedBudget {

  private final TokenBudget budget;
  private final UsageStore store;
  private final BudgetManager calendar;
  private final AlertManager alerts;
  private final ForecastManager forecasts;
  private final GuardedAuditTrail audit;
  private final dev.tokenwatch.domain.port.Clock clock;

  TrackedBudget(TokenBudget budget, UsageStore store, dev.tokenwatch.domain.port.Clock clock, AlertDelivery delivery,
      GuardedAuditTrail audit) {
    this.budget = budget;
    this.store = store;
    this.clock = clock;
    this.alerts = new AlertManager(budget, store, delivery);
    this.forecasts = new ForecastManager(budget, store, delivery);
    this.audit = audit;
    this.calendar = new BudgetManager(budget, clock, period -> audit.append(new AuditRecord.PeriodRolled(clock.now(),
        budget.name(), period.window().start().toOffsetDateTime(), period.window().start().toOffsetDateTime(),
        period.window().end().toOffsetDateTime())));
  }

  /** What a store operation did to this budget: its usage after it, and the alerts raised if it grew. */
  BudgetCharge charged(BudgetManager.Period period, Usage usage, Counts delta, Instant now) {
    if (budget.measure(delta) <= 0) {
      return new BudgetCharge(budget, usage, List.of());
    }
    Optional<Alert> threshold = alerts.evaluate(period, usage, now);
    Optional<Alert> forecast = forecasts.evaluate(period, usage, now);
    if (threshold.isEmpty() && forecast.isEmpty()) {
      return new BudgetCharge(budget, usage, List.of());
    }
    List<Alert> raised = new ArrayList<>(2);
    threshold.ifPresent(raised::add);
    forecast.ifPresent(raised::add);
    raised.forEach(a -> audit.append(new AuditRecord.AlertRaised(now, budget.name(), a)));
    return new BudgetCharge(budget, usage, raised);
  }

  /** The budget. */
  public TokenBudget getBudget() {
    return budget;
  }

  /** Usage of the current period. */
  public Usage getUsage() {
    return calendar.usage(getPeriodCounts());
  }

  /** Totals of the current period (every kind of token, calls, cost and unpriced calls). */
  public Counts getPeriodCounts() {
    return store.windowTotals(calendar.current().storeWindow());
  }

  /**
   * What the open reservations hold in the current period, in the budget's unit (only hard budgets
   * are held in).
   */
  public OpenReservations getReserved() {
    return store.reserved(calendar.current().storeWindow(), budget.unit(), clock.now());
  }

  /**
   * Whether the store keeps no totals for the current period yet, so they are computed from the
   * ledger: the budget (or its period, zone or scope) is new, or its period just began.
   */
  public boolean countedFromLedger() {
    return !store.keepsWindow(calendar.current().storeWindow());
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

  /** The last {@code historySize} events of the budget's scope by their timestamps, oldest first. */
  public List<TokenUsageEvent> getHistory() {
    return store.history(budget.scope(), budget.historySize());
  }

  /** Thresholds that count as fired in the current period, ascending. */
  public List<Double> getFiredThresholds() {
    return alerts.firedThresholds(calendar.current());
  }

  /** Forecast thresholds that count as fired in the current period, ascending. */
  public List<Double> getFiredForecasts() {
    return forecasts.fired(calendar.current());
  }

  /**
   * The current period's projection at its rate so far ({@link Forecast}), or empty while the
   * evidence is too thin (early in the period, little usage).
   */
  public Optional<Forecast> getForecast() {
    Instant now = clock.now();
    return Forecast.of(budget, calendar.current(now).window(), getUsage().used(), now);
  }

  /** The current period. */
  public PeriodWindow getCurrentPeriod() {
    return calendar.current().window();
  }

  /** The budget's calendar: its current period and the period of any instant. */
  public BudgetManager calendar() {
    return calendar;
  }

  /**
   * Clears the current period: the events it charges leave the ledger (so their request ids count
   * again, and other budgets counting them lose them too) and its thresholds are re-armed.
   */
  public void reset() {
    BudgetManager.Period period = calendar.current();
    store.resetWindow(period.storeWindow());
    if (!budget.forecastThresholds().isEmpty()) {
      store.resetWindow(ForecastManager.claimsWindow(period));
    }
    alerts.forgetClaims();
    forecasts.forgetClaims();
    audit.append(new AuditRecord.Reset(clock.now(), budget.name(), period.window().start().toOffsetDateTime(),
        period.window().end().toOffsetDateTime()));
  }

  @Override
  public String toString() {
    return "TrackedBudget[" + budget.name() + "]";
  }
}
