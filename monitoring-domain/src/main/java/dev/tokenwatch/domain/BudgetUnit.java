package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.Counts;

/** What a budget's limit counts: tokens, or US dollars (kept as whole nano-dollars). */
public enum BudgetUnit {
  /** Total tokens. */
  TOKENS {
    @Override
    public long measure(Counts counts) {
      return counts.totalTokens();
    }

    @Override
    public String format(long amount) {
      return Amounts.count(amount) + " tokens";
    }
  },
  /** US dollars; amounts are nano-dollars. */
  USD {
    @Override
    public long measure(Counts counts) {
      return counts.costNanoUsd();
    }

    @Override
    public String format(long amount) {
      return formatUsd(amount);
    }
  };

  /** The amount of {@code counts} this unit counts. */
  public abstract long measure(Counts counts);

  /** An amount of this unit as a person reads it: "1,000,000 tokens", "$187.40". */
  public abstract String format(long amount);

  /** "$187.40": see {@link Amounts#usd}. */
  public static String formatUsd(long nanoUsd) {
    return Amounts.usd(nanoUsd);
  }
}
