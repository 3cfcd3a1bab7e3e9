package dev.tokenwatch.config;

import java.util.function.UnaryOperator;

/**
 * The rule of a budget's two limit keys, for every front end (the configuration file, the Spring
 * properties): a limit in tokens ({@code limit}) or in US dollars ({@code limitUsd}), not both; and,
 * where a budget has no default limit, one of them. The amount itself is {@code TokenBudget}'s rule.
 */
public final class BudgetLimit {

  /** The key of a limit in tokens. */
  public static final String TOKENS_KEY = "limit";
  /** The key of a limit in US dollars. */
  public static final String USD_KEY = "limitUsd";

  private BudgetLimit() {}

  /**
   * Checks which limit keys a budget gives.
   *
   * @param tokens whether {@code limit} is given
   * @param usd whether {@code limitUsd} is given
   * @param required whether one must be given (false where a budget has a default limit)
   * @param key how the front end names a key ({@link #TOKENS_KEY} or {@link #USD_KEY}) where it read
   *     it: {@code budgets[0].limit (line 3)}, {@code limit-usd}
   * @throws IllegalArgumentException starting with the name of the {@code limit} key
   */
  public static void check(boolean tokens, boolean usd, boolean required, UnaryOperator<String> key) {
    if (tokens && usd) {
      throw new IllegalArgumentException(key.apply(TOKENS_KEY) + " and " + key.apply(USD_KEY)
          + " are both given; write one: a budget's limit is in tokens or in US dollars");
    }
    if (required && !tokens && !usd) {
      throw new IllegalArgumentException(key.apply(TOKENS_KEY) + " is missing: a budget's limit in tokens such as "
          + "20000000, or " + key.apply(USD_KEY) + " in US dollars such as 250");
    }
  }
}
