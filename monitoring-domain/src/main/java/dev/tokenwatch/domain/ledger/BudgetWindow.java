package dev.tokenwatch.domain.ledger;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * One period of one budget as the store sees it: the events in {@code [start, end)} that pass the
 * budget's scope. A store keeps each window's totals beside the ledger and updates them in the same
 * atomic step as the events, so the current period's usage is one cheap read; a window the store has
 * not seen yet (a new budget, a changed period or scope) starts from the ledger's figure.
 *
 * <p>Immutable; windows are equal when their {@link #key()}s are.
 */
public final class BudgetWindow {

  private final String budget;
  private final Instant start;
  private final Instant end;
  private final UsageFilter scope;
  private final String key;

  /**
   * A window.
   *
   * @param budget the budget's name
   * @param start first instant of the period, inclusive
   * @param end end of the period, exclusive
   * @param scope which events the budget counts
   */
  public BudgetWindow(String budget, Instant start, Instant end, UsageFilter scope) {
    this.budget = Objects.requireNonNull(budget, "budget");
    this.start = Objects.requireNonNull(start, "start");
    this.end = Objects.requireNonNull(end, "end");
    this.scope = Objects.requireNonNull(scope, "scope");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("end (" + end + ") must be after start (" + start + ")");
    }
    this.key = budget + '|' + start + '|' + end + '|' + scope.canonical();
  }

  /** The budget's name. */
  public String budget() {
    return budget;
  }

  /** First instant of the period, inclusive. */
  public Instant start() {
    return start;
  }

  /** End of the period, exclusive. */
  public Instant end() {
    return end;
  }

  /** Which events the budget counts. */
  public UsageFilter scope() {
    return scope;
  }

  /** Whether {@code event} is charged to this window. */
  public boolean charges(TokenUsageEvent event) {
    return contains(event.timestamp()) && scope.matches(event);
  }

  /** Whether {@code at} lies in the window's period. */
  public boolean contains(Instant at) {
    return !at.isBefore(start) && at.isBefore(end);
  }

  /** Whether this window's period overlaps {@code [from, until)}. */
  public boolean overlaps(Instant from, Instant until) {
    return start.isBefore(until) && from.isBefore(end);
  }

  /**
   * The key under which a store keeps the window's totals and claims: budget, period and scope, so
   * that a changed period or scope is a new window rather than a wrong figure.
   */
  public String key() {
    return key;
  }

  /** The query of this window's usage. */
  public UsageQuery query() {
    return UsageQuery.all().between(start, end).filter(scope);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BudgetWindow other && other.key.equals(key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return budget + " [" + start + ", " + end + ") " + scope;
  }
}
