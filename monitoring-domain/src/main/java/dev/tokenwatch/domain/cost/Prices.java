package dev.tokenwatch.domain.cost;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The prices of one model for each kind of token, each in USD per million tokens. A price the
 * source does not give is {@code null}; what then applies is documented per method and never
 * silently zero for cache tokens: cache writes fall back to the input price (one-hour writes to the
 * five-minute price first), cache reads to the input price. A missing input or output price charges
 * those tokens nothing, as the source lists only what a model charges (an embedding model has no
 * output price).
 *
 * @param input prompt tokens not read from or written to a cache; {@code null} if not charged
 * @param output completion tokens; {@code null} if not charged
 * @param cacheWrite five-minute cache writes; {@code null} for the input price
 * @param cacheWrite1h one-hour cache writes; {@code null} for the five-minute price
 * @param cacheRead cache reads; {@code null} for the input price
 */
public record Prices(Rate input, Rate output, Rate cacheWrite, Rate cacheWrite1h, Rate cacheRead) {

  private static final BigDecimal NANOS_PER_USD_PER_MTOK = BigDecimal.valueOf(1000);

  public Prices {
    if (input == null && output == null) {
      throw new IllegalArgumentException("prices need at least an input or an output price");
    }
  }

  /** The price of five-minute cache writes after fall-backs; {@code null} if none applies. */
  public Rate effectiveCacheWrite() {
    return cacheWrite != null ? cacheWrite : input;
  }

  /** The price of one-hour cache writes after fall-backs; {@code null} if none applies. */
  public Rate effectiveCacheWrite1h() {
    return cacheWrite1h != null ? cacheWrite1h : effectiveCacheWrite();
  }

  /** The price of cache reads after fall-backs; {@code null} if none applies. */
  public Rate effectiveCacheRead() {
    return cacheRead != null ? cacheRead : input;
  }

  /**
   * The exact cost of one call in nano-dollars (10<sup>-9</sup> USD), before rounding. The prompt
   * that selects tiers is input, cache writes and cache reads together.
   *
   * @param inputTokens prompt tokens not read from or written to a cache
   * @param outputTokens completion tokens
   * @param cacheCreationTokens prompt tokens written to a cache
   * @param cacheWrites how long those writes are kept
   * @param cacheReadTokens prompt tokens read from a cache
   */
  public BigDecimal nanoUsd(long inputTokens, long outputTokens, long cacheCreationTokens, CacheWrites cacheWrites,
      long cacheReadTokens) {
    Objects.requireNonNull(cacheWrites, "cacheWrites");
    long prompt = Math.addExact(Math.addExact(inputTokens, cacheCreationTokens), cacheReadTokens);
    Rate write = cacheWrites == CacheWrites.ONE_HOUR ? effectiveCacheWrite1h() : effectiveCacheWrite();
    BigDecimal usdPerMtokTimesTokens = part(input, inputTokens, prompt)
        .add(part(output, outputTokens, prompt))
        .add(part(write, cacheCreationTokens, prompt))
        .add(part(effectiveCacheRead(), cacheReadTokens, prompt));
    // tokens x USD per 10^6 tokens = 10^-6 USD = 1000 nano-dollars
    return usdPerMtokTimesTokens.multiply(NANOS_PER_USD_PER_MTOK);
  }

  private static BigDecimal part(Rate rate, long tokens, long prompt) {
    if (rate == null || tokens == 0) {
      return BigDecimal.ZERO;
    }
    return rate.at(prompt).multiply(BigDecimal.valueOf(tokens));
  }
}
