package dev.tokenwatch.domain;

import dev.tokenwatch.domain.port.Clock;
import java.util.Optional;

/**
 * One budget's state machine in memory: tokens used in the current calendar period, the period's
 * window, and (through its {@link AlertManager}) the thresholds fired in it. Thread-safe.
 *
 * <p>After downtime the period is the one containing the clock's now, never the old start plus one
 * period.
 */
public final class BudgetManager {

  private final TokenBudget budget;
  private final Clock clock;
  private final AlertManager alerts;
  private long used;
  private PeriodWindow window;

  /** A budget starting empty in the period containing now (system clock). */
  public BudgetManager(TokenBudget budget) {
    this(budget, Clock.system());
  }

  /** A budget starting empty in the period containing {@code clock.now()}. */
  public BudgetManager(TokenBudget budget, Clock clock) {
    this.budget = budget;
    this.clock = clock;
    this.alerts = new AlertManager(budget, clock);
    this.window = budget.period().windowOf(clock.now(), budget.zone());
  }

  /** Adds {@code tokens} to the current period (rolling over first if the period has ended). */
  public synchronized void record(long tokens) {
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must not be negative, got " + tokens);
    }
    checkAndResetIfExpired();
    used = Math.addExact(used, tokens);
  }

  /** Usage of the current period. */
  public synchronized Usage getUsage() {
    return Usage.of(used, budget.limit());
  }

  /** Evaluates the alert rule against the current usage. */
  public synchronized Optional<Alert> evaluateAlerts() {
    return alerts.evaluate(getUsage());
  }

  /** The alert manager of this budget, for setting a callback. */
  public AlertManager alertManager() {
    return alerts;
  }

  /** Whether the clock has passed the end of the current period. */
  public synchronized boolean isExpired() {
    return !clock.now().isBefore(window.endInstant());
  }

  /** Zeroes usage, moves to the period containing now and re-arms every threshold. */
  public synchronized void reset() {
    used = 0;
    window = budget.period().windowOf(clock.now(), budget.zone());
    alerts.reset();
  }

  /** Resets if the period has ended; returns whether it did. */
  public synchronized boolean checkAndResetIfExpired() {
    if (isExpired()) {
      reset();
      return true;
    }
    return false;
  }

  /** The current period. */
  public synchronized PeriodWindow window() {
    return window;
  }

  /** The state to persist: used tokens, period start and the thresholds fired in the period. */
  public synchronized BudgetSnapshot serialize() {
    return new BudgetSnapshot(used, window.startInstant(), alerts.firedThresholds());
  }

  /** Restores a budget from a snapshot, using the system clock. */
  public static BudgetManager deserialize(BudgetSnapshot snapshot, TokenBudget budget) {
    return deserialize(snapshot, budget, Clock.system());
  }

  /**
   * Restores a budget from a snapshot. Fired thresholds stay fired, so a restart raises no alert
   * again; a snapshot of a period that has ended since restores to an empty current period.
   */
  public static BudgetManager deserialize(BudgetSnapshot snapshot, TokenBudget budget, Clock clock) {
    BudgetManager manager = new BudgetManager(budget, clock);
    PeriodWindow snapshotWindow = budget.period().windowOf(snapshot.periodStart(), budget.zone());
    if (snapshotWindow.equals(manager.window)) {
      manager.used = snapshot.used();
      manager.alerts.restoreFired(snapshot.alertedThresholds());
    }
    return manager;
  }
}
