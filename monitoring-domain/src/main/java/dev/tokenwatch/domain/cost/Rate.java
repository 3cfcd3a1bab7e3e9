package dev.tokenwatch.domain.cost;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The price of one kind of token in USD per million tokens, optionally higher once the prompt of a
 * call is above a size (Anthropic's and Google's long-context prices).
 *
 * <p>A tier is a cliff, as the source (genai-prices) and the providers define it: when the prompt
 * (input, cache writes and cache reads together) has more than {@link Tier#above()} tokens, every
 * token of the call is charged the tier's price, not only the tokens past the threshold. Of several
 * tiers the highest threshold the prompt exceeds applies.
 *
 * @param base USD per million tokens for prompts up to the first tier; not negative
 * @param tiers higher prices above prompt sizes, sorted by threshold, thresholds distinct
 */
public record Rate(BigDecimal base, List<Tier> tiers) {

  /**
   * A price above a prompt size.
   *
   * @param above the prompt size in tokens that a call must exceed; positive
   * @param usdPerMtok USD per million tokens; not negative
   */
  public record Tier(long above, BigDecimal usdPerMtok) {
    public Tier {
      if (above <= 0) {
        throw new IllegalArgumentException("tier threshold must be positive, got " + above);
      }
      requireNonNegative(usdPerMtok);
    }
  }

  public Rate {
    requireNonNegative(base);
    List<Tier> sorted = new ArrayList<>(Objects.requireNonNull(tiers, "tiers"));
    sorted.sort(Comparator.comparingLong(Tier::above));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).above() == sorted.get(i - 1).above()) {
        throw new IllegalArgumentException("two tiers above " + sorted.get(i).above());
      }
    }
    tiers = List.copyOf(sorted);
  }

  /** A flat price. */
  public static Rate of(BigDecimal usdPerMtok) {
    return new Rate(usdPerMtok, List.of());
  }

  /** A flat price given as decimal text, e.g. {@code "0.3"}. */
  public static Rate of(String usdPerMtok) {
    return of(new BigDecimal(usdPerMtok));
  }

  /** The price in USD per million tokens for a call whose prompt has {@code promptTokens} tokens. */
  public BigDecimal at(long promptTokens) {
    BigDecimal price = base;
    for (Tier tier : tiers) {
      if (promptTokens > tier.above()) {
        price = tier.usdPerMtok();
      }
    }
    return price;
  }

  /** Whether the rate has tiers. */
  public boolean isTiered() {
    return !tiers.isEmpty();
  }

  private static void requireNonNegative(BigDecimal usdPerMtok) {
    Objects.requireNonNull(usdPerMtok, "price");
    if (usdPerMtok.signum() < 0) {
      throw new IllegalArgumentException("price must not be negative, got " + usdPerMtok.toPlainString());
    }
  }
}
