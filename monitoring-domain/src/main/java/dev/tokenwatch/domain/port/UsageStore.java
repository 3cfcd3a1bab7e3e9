package dev.tokenwatch.domain.port;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.RequestRule;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.reservation.CommitResult;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
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
 * Changing a budget therefore never changes a past figure. Once kept, a window's totals are
 * maintained by every call that changes the ledger, whether or not it names the window: {@link
 * #record} charges each event to every kept window that charges it (those named and those kept
 * from earlier calls, perhaps by processes configured with other budgets), and a replacement takes the
 * replaced record out of every kept window that counted it ({@link #resetWindow} forgets the kept
 * totals of overlapping windows; {@link #dropBefore} leaves kept totals as they are). So a
 * store shared by differently configured processes keeps every budget's totals exact. A store
 * therefore keeps each window's scope with its totals.
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
 * claim implies every lower threshold has fired. The claim queues its alert in the {@link
 * AlertOutbox} in the same step, so a claimed alert is delivered even if its process dies at once.
 *
 * <h2>Reservations (hard limits)</h2>
 *
 * A reservation holds an estimate in the current window of each hard budget a call falls under
 * ({@link #reserve}), until the call's actual usage is recorded ({@link #commit}), the call is given
 * up ({@link #release}) or the reservation expires. The rule, {@link ReservationRequest#firstRefused}:
 * a reservation is made only if, in every window it holds, committed usage plus what the open
 * reservations hold plus its own amount stays within the limit; decided and applied as one atomic
 * step against the window's current totals (not a copy), so that whatever the interleaving of
 * threads and processes, committed usage plus open reservations of a window never passes its limit
 * through reservations (a commit larger than its estimate is recorded in full and may). A
 * reservation need not be durable: it matters only while the process that made it lives, and a crash
 * of the machine ends those processes too; it must be visible to every process at once.
 *
 * <p>Implementations must pass the contract suite {@code UsageStoreContract} in the domain's
 * test-jar.
 */
public interface UsageStore extends AutoCloseable {

  /**
   * Adds {@code events} to the ledger and to every window that charges them (each of {@code windows}
   * and every window kept already), as one atomic, durable operation (on disk or committed when this
   * returns), applied in order: all windows or none. A named window not kept yet starts from the
   * ledger's figure and is kept from then on.
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
   * threshold was already claimed there. On success, and in the same atomic, durable step, the
   * claim's alert goes into the {@link #outbox()} for each of its sinks ({@link AlertClaim#entries()}).
   *
   * @param claim what to queue on success; {@code null} queues nothing
   */
  boolean claimThreshold(BudgetWindow window, double threshold, AlertClaim claim);

  /** Claims {@code threshold} in {@code window} and queues nothing. */
  default boolean claimThreshold(BudgetWindow window, double threshold) {
    return claimThreshold(window, threshold, null);
  }

  /** The alerts raised and not yet delivered. */
  AlertOutbox outbox();

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

  /**
   * Whether the store keeps totals for {@code window} (some {@link #record} named it); if not,
   * {@link #windowTotals} computes the ledger's figure.
   */
  boolean keepsWindow(BudgetWindow window);

  /**
   * Makes the reservation {@code request} if every hold fits at {@code now} (see the class comment),
   * as one atomic step; nothing is reserved otherwise. A held window not kept yet starts from the
   * ledger's figure and is kept from then on, as with {@link #record}. Reservations that expired at
   * {@code now} hold nothing.
   *
   * @return the decision, with each window's figures as found
   * @throws IllegalArgumentException if a reservation with the same id is open
   */
  ReserveOutcome reserve(ReservationRequest request, Instant now);

  /**
   * Records {@code events} exactly as {@link #record} does and ends reservation {@code reservationId}
   * in the same atomic step. The events are recorded whether or not the reservation is still open
   * (the call happened): an expired, settled or unknown id changes nothing else.
   */
  CommitResult commit(String reservationId, List<TokenUsageEvent> events, List<BudgetWindow> windows, Instant now);

  /**
   * Ends reservation {@code reservationId} without usage (the call failed or was not made).
   *
   * @return whether it was open and not expired at {@code now}
   */
  boolean release(String reservationId, Instant now);

  /** What the reservations open at {@code now} hold in {@code window} in {@code unit}. */
  OpenReservations reserved(BudgetWindow window, BudgetUnit unit, Instant now);

  /** Releases resources (files, pools). The default does nothing. */
  @Override
  default void close() {}
}
