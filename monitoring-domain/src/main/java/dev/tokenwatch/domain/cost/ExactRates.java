package dev.tokenwatch.domain.cost;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * One model's prices as whole pico-dollars (10<sup>-12</sup> USD) per token, computed once, so
 * pricing an event is integer arithmetic: every price of the built-in table has at most six decimals
 * per million tokens, so tokens &times; pico-dollars is exact and equals the {@link BigDecimal}
 * computation of {@link Prices#nanoUsd}. A price finer than that, or a product past a long, answers
 * {@link #NOT_EXACT} and the caller computes in {@code BigDecimal}. Measured: pricing with {@code
 * BigDecimal} allocated about 500 bytes per tracked event (see BENCHMARKS.md).
 */
final class ExactRates {

  /** The answer when the cost cannot be computed exactly in longs. */
  static final long NOT_EXACT = Long.MIN_VALUE;

  private final Instant[] from;
  private final Prices[] prices;
  /** Per period: input, output, five-minute write, one-hour write, read; each {@link Rate} as pico-dollars. */
  private final long[][][] pico;

  ExactRates(ModelPrice model) {
    List<ModelPrice.Period> periods = model.periods();
    from = new Instant[periods.size()];
    prices = new Prices[periods.size()];
    pico = new long[periods.size()][][];
    for (int i = 0; i < periods.size(); i++) {
      ModelPrice.Period p = periods.get(i);
      from[i] = p.from() == null ? null : p.from().atStartOfDay(ZoneOffset.UTC).toInstant();
      prices[i] = p.prices();
      Prices x = p.prices();
      pico[i] = new long[][] {
          rate(x.input()), rate(x.output()), rate(x.effectiveCacheWrite()), rate(x.effectiveCacheWrite1h()),
          rate(x.effectiveCacheRead())};
    }
  }

  /** The prices in effect at {@code time}, as {@link ModelPrice#at} chooses them. */
  int periodAt(Instant time) {
    int current = 0;
    for (int i = 0; i < from.length; i++) {
      if (from[i] != null && !time.isBefore(from[i])) {
        current = i;
      }
    }
    return current;
  }

  Prices prices(int period) {
    return prices[period];
  }

  /** The exact cost of {@code event} in pico-dollars with prices {@code period}, or {@link #NOT_EXACT}. */
  long picoUsd(int period, TokenUsageEvent event, CacheWrites cacheWrites) {
    long[][] rates = pico[period];
    long prompt;
    try {
      prompt = Math.addExact(Math.addExact(event.inputTokens(), event.cacheCreationTokens()), event.cacheReadTokens());
      return Math.addExact(Math.addExact(part(rates[0], event.inputTokens(), prompt),
              part(rates[1], event.outputTokens(), prompt)),
          Math.addExact(part(rates[cacheWrites == CacheWrites.ONE_HOUR ? 3 : 2], event.cacheCreationTokens(), prompt),
              part(rates[4], event.cacheReadTokens(), prompt)));
    } catch (ArithmeticException | NotExact overflowOrFine) {
      return NOT_EXACT;
    }
  }

  /** Whole nano-dollars of {@code picoUsd}, rounded half-even as {@link Pricing} rounds. */
  static long roundedNanoUsd(long picoUsd) {
    long nano = picoUsd / 1000;
    long rest = picoUsd % 1000;
    return rest > 500 || rest == 500 && (nano & 1) == 1 ? nano + 1 : nano;
  }

  /** {@code tokens} at the rate for {@code prompt}; {@code rate} is {base, above1, pico1, above2, pico2, ...}. */
  private static long part(long[] rate, long tokens, long prompt) {
    if (rate == null || tokens == 0) {
      return 0;
    }
    long price = rate[0];
    for (int i = 1; i < rate.length; i += 2) {
      if (prompt > rate[i]) {
        price = rate[i + 1];
      }
    }
    if (price < 0) {
      throw NotExact.INSTANCE;
    }
    return Math.multiplyExact(tokens, price);
  }

  /** A rate as {base, above1, pico1, ...} in pico-dollars per token (-1 where not whole), or null. */
  private static long[] rate(Rate rate) {
    if (rate == null) {
      return null;
    }
    long[] out = new long[1 + 2 * rate.tiers().size()];
    out[0] = pico(rate.base());
    for (int i = 0; i < rate.tiers().size(); i++) {
      out[1 + 2 * i] = rate.tiers().get(i).above();
      out[2 + 2 * i] = pico(rate.tiers().get(i).usdPerMtok());
    }
    return out;
  }

  /** USD per million tokens as pico-dollars per token, or -1 if that is not a whole number. */
  private static long pico(BigDecimal usdPerMtok) {
    try {
      return usdPerMtok.movePointRight(6).longValueExact();
    } catch (ArithmeticException fractionOrTooLarge) {
      return -1;
    }
  }

  /** A price finer than a pico-dollar per token: computed in BigDecimal instead. */
  private static final class NotExact extends RuntimeException {
    static final NotExact INSTANCE = new NotExact();

    private NotExact() {
      super(null, null, false, false);
    }
  }
}
