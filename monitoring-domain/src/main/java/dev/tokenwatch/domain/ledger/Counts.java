package dev.tokenwatch.domain.ledger;

import dev.tokenwatch.domain.TokenUsageEvent;

/**
 * Token counts of one or more calls: each kind of token, the total the budget counts, and the number
 * of calls. The one counts type of the ledger: an event's own counts, a group's totals in a query, a
 * budget period's totals and a change to them (which may be negative when a replaced event leaves a
 * group) are all {@code Counts}.
 *
 * @param inputTokens prompt tokens not read from or written to a cache
 * @param outputTokens completion tokens
 * @param cacheCreationTokens prompt tokens written to a prompt cache
 * @param cacheReadTokens prompt tokens read from a prompt cache
 * @param totalTokens tokens the budget is charged
 * @param calls number of calls
 */
public record Counts(
    long inputTokens,
    long outputTokens,
    long cacheCreationTokens,
    long cacheReadTokens,
    long totalTokens,
    long calls) {

  /** No calls. */
  public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0);

  /** The counts of one event: its tokens and one call. */
  public static Counts of(TokenUsageEvent event) {
    return new Counts(event.inputTokens(), event.outputTokens(), event.cacheCreationTokens(),
        event.cacheReadTokens(), event.totalTokens(), 1);
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
        Math.addExact(calls, other.calls));
  }

  /** This less {@code other}. */
  public Counts minus(Counts other) {
    return plus(other.negated());
  }

  /** Every count with its sign flipped. */
  public Counts negated() {
    return new Counts(-inputTokens, -outputTokens, -cacheCreationTokens, -cacheReadTokens, -totalTokens, -calls);
  }

  /** Whether every count is zero. */
  public boolean isZero() {
    return equals(ZERO);
  }
}
