package dev.tokenwatch.domain.port;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.RequestRule;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;

/**
 * The usage ledger: every recorded event with its dimensions, able to answer any question about the
 * past exactly ({@link #query}), plus the totals of budget windows and the alert thresholds claimed in
 * them. Every operation is atomic on its own, so that several threads, or several processes sharing
 * one store (a directory, a SQL database), can call it at once without losing an update.
 *
 * <h2>Ledger and budgets</h2>
 *
 * The ledger does not know budgets: an event is kept once, whatever budgets it is charged to.
 * Budgets are views over it: a {@link BudgetWindow} is one period of one budget with its scope. A
 * store keeps each window's totals beside the ledger, updated in the same atomic step as the events
 * by {@link #record}, so that the current period's usage needs no scan; a window the store has not
 * seen (a new budget, a changed period, zone or scope) starts from the ledger's figure for it.
 * Changing a budget therefore never changes a past figure. Kept totals are maintained by the calls
 * that name the window: every tracker of a budget names its current window in every call, so they stay
 * exact; a store shared by processes configured with different budgets keeps each budget's totals
 * exact only for the events its own processes record (the ledger and its queries are exact whatever).
 *
 * <h2>De-duplication</h2>
 *
 * {@link RequestRule}: an event with a request id is counted once across the whole ledger; a later
 * record of the id with a larger total replaces it (taking its place in the groups and windows of the
 * new record, with the new record's dimensions), one with a total that is not larger is a duplicate.
 * Request ids are compared exactly.
 *
 * <h2>Thresholds</h2>
 *
 * A claim of threshold T in a window succeeds for exactly one caller, and only while no threshold
 * at or above T has been claimed in that window: alerts never step down in a period. A successful
 * claim implies every lower threshold has fired.
 *
 * <p>Implementations must pass the contract suite {@code UsageStoreContract} in the domain's
 * test-jar.
 */
public interface UsageStore extends AutoCloseable {

  /**
   * Adds {@code events} to the ledger and to each of {@code windows} that charges them, as one
   * atomic, durable operation (on disk or committed when this returns), applied in order.
   *
   * @param events the events, in order; a later one may replace an earlier one of the same batch
   * @param windows the budget windows whose totals to keep (usually each budget's current period)
   * @return counts of what happened and each window's totals after the batch
   */
  RecordResult record(List<TokenUsageEvent> events, List<BudgetWindow> windows);

  /** The totals of {@code window}: those kept for it, or the ledger's figure if it has none kept. */
  Counts windowTotals(BudgetWindow window);

  /**
   * Claims {@code threshold} in {@code window}: true for exactly one caller, false if it or a higher
   * threshold was already claimed there.
   */
  boolean claimThreshold(BudgetWindow window, double threshold);

  /** Thresholds claimed in {@code window}, ascending. */
  SortedSet<Double> claimedThresholds(BudgetWindow window);

  /** The answer to {@code query}, exact to the event. */
  UsageAnswer query(UsageQuery query);

  /**
   * The {@code limit} latest events (by their timestamps) that pass {@code filter}, oldest first. An
   * event that replaced another appears once, in its latest form.
   */
  List<TokenUsageEvent> history(UsageFilter filter, int limit);

  /**
   * Forgets one budget period: the events of the ledger that {@code window} charges (so their request
   * ids count again), the thresholds claimed in it, and the kept totals of every window whose period
   * overlaps it (they are derived from the ledger again when next used).
   */
  void resetWindow(BudgetWindow window);

  /**
   * Retention: drops every event stamped before {@code cutoff} and records that the ledger now starts
   * there ({@link UsageAnswer#retainedFrom()}); later events before it are refused (counted in {@link
   * RecordResult#beforeRetention()}). A cutoff at or before the current one changes nothing.
   */
  void dropBefore(Instant cutoff);

  /** Where the retained ledger begins, or {@code null} if nothing was ever dropped. */
  Instant retainedFrom();

  /** Releases resources (files, pools). The default does nothing. */
  @Override
  default void close() {}
}
