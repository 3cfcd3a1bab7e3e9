package dev.tokenwatch.domain.ledger;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.math.BigDecimal;

/**
 * Token counts and cost of one or more calls: each kind of token, the total the budget counts, the
 * number of calls, what the priced calls cost and how many calls (with how many tokens) had no
 * price. The one counts type of the ledger: an event's own counts, a group's totals in a query, a
 * budget period's totals and a change to them (which may be negative when a replaced event leaves a
 * group) are all {@code Counts}.
 *
 * <p>Cost is in whole nano-dollars (10<sup>-9</sup> USD) in a long: up to about 9.2 &times;
 * 10<sup>9</sup> USD, and every sum is exact ({@link Math#addExact}) so a total throws rather than
 * wraps. An unpriced call adds nothing to the cost but is counted, so a total never passes off an
 * unknown cost as zero.
 *
 * @param inputTokens prompt tokens not read from or written to a cache
 * @param outputTokens completion tokens
 * @param cacheCreationTokens prompt tokens written to a prompt cache
 * @param cacheReadTokens prompt tokens read from a prompt cache
 * @param totalTokens tokens the budget is charged
 * @param calls number of calls
 * @param costNanoUsd what the priced calls cost, in nano-dollars
 * @param unpricedCalls calls whose cost is not known
 * @param unpricedTokens the total tokens of those calls
 */
public record Counts(
    long inputTokens,
    long outputTokens,
    long cacheCreationTokens,
    long cacheReadTokens,
    long totalTokens,
    long calls,
    long costNanoUsd,
    long unpricedCalls,
    long unpricedTokens) {

  /** No calls. */
  public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Nano-dollars in one USD. */
  public static final long NANOS_PER_USD = 1_000_000_000L;

  /** The counts of calls none of which has a known cost. */
  public Counts(long inputTokens, long outputTokens, long cacheCreationTokens, long cacheReadTokens,
      long totalTokens, long calls) {
    this(inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens, totalTokens, calls, 0, calls, totalTokens);
  }

  /** The counts of one event: its tokens, one call and its cost, or one unpriced call. */
  public static Counts of(TokenUsageEvent event) {
    boolean priced = event.hasCost();
    return new Counts(event.inputTokens(), event.outputTokens(), event.cacheCreationTokens(),
        event.cacheReadTokens(), event.totalTokens(), 1, priced ? event.costNanoUsd() : 0, priced ? 0 : 1,
        priced ? 0 : event.totalTokens());
  }

  /**
   * The sum of this and {@code other}.
   *
   * @throws ArithmeticException if a sum overflows a long
   */
  public Counts plus(Counts other) {
    return new Counts(Math.addExact(inputTokens, other.inputTokens), Math.addExact(outputTokens, other.outputTokens),
        Math.addExact(cacheCreationTokens, other.cacheCreationTokens),
        Math.addExact(cacheReadTokens, other.cacheReadTokens), Math.addExact(totalTokens, other.totalTokens),
        Math.addExact(calls, other.calls), Math.addExact(costNanoUsd, other.costNanoUsd),
        Math.addExact(unpricedCalls, other.unpricedCalls), Math.addExact(unpricedTokens, other.unpricedTokens));
  }

  /** This less {@code other}. */
  public Counts minus(Counts other) {
    return plus(other.negated());
  }

  /** Every count with its sign flipped. */
  public Counts negated() {
    return new Counts(-inputTokens, -outputTokens, -cacheCreationTokens, -cacheReadTokens, -totalTokens, -calls,
        -costNanoUsd, -unpricedCalls, -unpricedTokens);
  }

  /** Whether every count is zero. */
  public boolean isZero() {
    return equals(ZERO);
  }

  /** The cost of the priced calls in USD, exactly (nine decimal places). */
  public BigDecimal costUsd() {
    return BigDecimal.valueOf(costNanoUsd, 9);
  }

  /** Whether every call has a known cost (also true of no calls). */
  public boolean fullyPriced() {
    return unpricedCalls == 0;
  }
}
