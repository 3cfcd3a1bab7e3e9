package dev.tokenwatch.domain.port;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;

/**
 * Where budgets' usage lives. Every operation is atomic on its own, so that several threads, or
 * several processes sharing one store (a file, a SQL database), can call it at once without losing
 * an update: the operations say "apply these events and return the new totals" and "claim this
 * threshold", never "load everything, change it, save everything".
 *
 * <p>State is keyed by (budget name, period start). The domain computes period starts; a store
 * needs no calendar logic, and a new period simply has no rows yet.
 *
 * <h2>De-duplication</h2>
 *
 * An event with a request id is counted once per (budget, request id), across every period the
 * store keeps. A later event with the same id and a larger total replaces the earlier one: the
 * difference of each part is added (to the period and model of the new event, after the earlier
 * one is removed from its own), the call count does not change. A later event with a total that is
 * not larger is a duplicate and changes nothing. Events without a request id are always counted.
 * Stores may keep the key compactly as {@link RequestKeys#of(String, String)}, a 64-bit hash, plus
 * the parts of the counted event: a few dozen bytes per id, so memory stays small and bounded by the
 * number of distinct ids kept; stores that keep event rows (SQL) use the id itself.
 *
 * <h2>Thresholds</h2>
 *
 * A claim of threshold T in a period succeeds for exactly one caller, and only while no threshold
 * at or above T has been claimed in that period: alerts never step down in a period. A successful
 * claim implies every lower threshold has fired.
 *
 * <p>Implementations must pass the contract suite {@code UsageStoreContract} in the domain's
 * test-jar.
 */
public interface UsageStore extends AutoCloseable {

  /**
   * Applies {@code events} to {@code budget} as one atomic, durable operation (for a durable store:
   * on disk or committed when this returns) and returns the totals of the current period.
   *
   * @param budget the budget name
   * @param currentPeriodStart start of the period containing now; the result reports its totals
   * @param events events with the periods they are charged to, applied in order
   * @param historySize how many recent events the store must keep for {@link #history}; stores that
   *     keep every event may ignore it
   */
  RecordResult record(String budget, Instant currentPeriodStart, List<ChargedEvent> events, int historySize);

  /**
   * Claims {@code threshold} of {@code budget} for the period starting at {@code periodStart}: true
   * for exactly one caller, false if it or a higher threshold was already claimed.
   */
  boolean claimThreshold(String budget, Instant periodStart, double threshold);

  /** Thresholds claimed in the period, ascending. */
  SortedSet<Double> claimedThresholds(String budget, Instant periodStart);

  /** Totals per model of one period; empty if the period has no usage. */
  PeriodTotals periodTotals(String budget, Instant periodStart);

  /**
   * Totals of every period with usage whose start lies in [{@code fromInclusive}, {@code
   * toExclusive}), ordered by period start.
   */
  List<PeriodTotals> periodTotalsBetween(String budget, Instant fromInclusive, Instant toExclusive);

  /**
   * The most recent {@code limit} events of the budget, oldest first. An event that replaced an
   * earlier one with the same request id appears once, in its new form, in the position of its
   * latest write.
   */
  List<TokenUsageEvent> history(String budget, int limit);

  /**
   * Clears one period of the budget: its totals, its claimed thresholds and its events (so their
   * request ids count again).
   */
  void resetPeriod(String budget, Instant periodStart);

  /** Releases resources (files, pools). The default does nothing. */
  @Override
  default void close() {}
}
