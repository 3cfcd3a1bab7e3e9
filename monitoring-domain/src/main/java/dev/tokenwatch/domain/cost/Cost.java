package dev.tokenwatch.domain.cost;

import java.math.BigDecimal;

/**
 * What one or more calls cost, in whole nano-dollars (10<sup>-9</sup> USD), and how many calls could
 * not be priced. A long of nano-dollars holds up to about 9.2 &times; 10<sup>9</sup> USD; sums
 * are exact ({@link Math#addExact}) and throw rather than wrap.
 *
 * <p>An unpriced call adds nothing to {@link #nanoUsd()} but is counted in {@link
 * #unpricedCalls()}, so a total never passes off an unknown cost as zero.
 *
 * @param nanoUsd the cost of the priced calls in nano-dollars
 * @param pricedCalls the calls that were priced
 * @param unpricedCalls the calls whose model has no price
 */
public record Cost(long nanoUsd, long pricedCalls, long unpricedCalls) {

  /** No calls. */
  public static final Cost ZERO = new Cost(0, 0, 0);

  /** One call whose model has no price. */
  public static final Cost UNPRICED = new Cost(0, 0, 1);

  /** Nano-dollars in one USD. */
  public static final long NANOS_PER_USD = 1_000_000_000L;

  /** One priced call of {@code nanoUsd}. */
  public static Cost ofCall(long nanoUsd) {
    return new Cost(nanoUsd, 1, 0);
  }

  /**
   * The sum of this and {@code other}.
   *
   * @throws ArithmeticException if a sum overflows a long
   */
  public Cost plus(Cost other) {
    return new Cost(Math.addExact(nanoUsd, other.nanoUsd), Math.addExact(pricedCalls, other.pricedCalls),
        Math.addExact(unpricedCalls, other.unpricedCalls));
  }

  /** Whether every call was priced (also true of no calls). */
  public boolean isFullyPriced() {
    return unpricedCalls == 0;
  }

  /** The cost in USD, exactly (nine decimal places). */
  public BigDecimal usd() {
    return BigDecimal.valueOf(nanoUsd, 9);
  }
}
