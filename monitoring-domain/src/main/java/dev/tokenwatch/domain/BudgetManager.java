package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.port.Clock;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * One budget's calendar: which period is current, and the store's window of it. Rolls over when the
 * clock passes the period's end; after downtime the current period is the one containing now, never
 * the old start plus one period. Thread-safe.
 */
public final class BudgetManager {

  private final TokenBudget budget;
  private final Clock clock;
  private final Consumer<Period> onRollover;
  /** The period containing now, as last seen; replaced when the clock passes its end. */
  private volatile Period current;

  /**
   * The calendar of {@code budget}, reading time from {@code clock}; {@code onRollover} hears of each
   * new period entered after the first.
   */
  public BudgetManager(TokenBudget budget, Clock clock, Consumer<Period> onRollover) {
    this.budget = budget;
    this.clock = clock;
    this.onRollover = onRollover;
    this.current = periodOf(clock.now());
  }

  /** The budget. */
  public TokenBudget budget() {
    return budget;
  }

  /** The period containing the clock's now, rolling over first if the last one seen has ended. */
  public Period current() {
    return current(clock.now());
  }

  /** The period containing {@code now}, rolling over first if the last one seen has ended. */
  public Period current(Instant now) {
    Period period = current;
    if (period.contains(now)) {
      return period;
    }
    Period next = periodOf(now);
    boolean rolled;
    synchronized (this) {
      rolled = !current.window.equals(next.window) && next.start().isAfter(current.start());
      if (!current.window.equals(next.window)) {
        current = next;
      }
      period = current;
    }
    if (rolled) {
      onRollover.accept(period);
    }
    return period;
  }

  /** The period containing {@code instant}. */
  public Period periodOf(Instant instant) {
    return new Period(budget.period().windowOf(instant, budget.zone()), budget);
  }

  /** The usage of {@code counts} (a period's totals) against the budget's limit, in its unit. */
  public Usage usage(Counts counts) {
    return Usage.of(counts, budget);
  }

  /** One period of the budget: its calendar window and the store's window of it. */
  public static final class Period {
    private final PeriodWindow window;
    private final BudgetWindow storeWindow;
    private final TokenBudget budget;

    Period(PeriodWindow window, TokenBudget budget) {
      this.window = window;
      this.budget = budget;
      this.storeWindow = new BudgetWindow(budget.name(), window.startInstant(), window.endInstant(), budget.scope());
    }

    /** The period's calendar window in the budget's zone. */
    public PeriodWindow window() {
      return window;
    }

    /** The store's window of this period: the budget's name, its bounds and scope. */
    public BudgetWindow storeWindow() {
      return storeWindow;
    }

    /** The usage of {@code counts} (this period's totals) against the budget's limit. */
    public Usage usage(Counts counts) {
      return Usage.of(counts, budget);
    }

    /** First instant of the period. */
    public Instant start() {
      return storeWindow.start();
    }

    /** Whether {@code instant} lies in the period. */
    public boolean contains(Instant instant) {
      return storeWindow.contains(instant);
    }

    @Override
    public String toString() {
      return storeWindow.toString();
    }
  }
}
