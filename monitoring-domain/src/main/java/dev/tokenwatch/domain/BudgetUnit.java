package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.Counts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

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
      return String.format(Locale.ROOT, "%,d tokens", amount);
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

  /** "$187.40": nano-dollars rounded half-up to cents, with thousands separators; "$0.0042" below a cent. */
  public static String formatUsd(long nanoUsd) {
    BigDecimal usd = BigDecimal.valueOf(nanoUsd, 9);
    if (nanoUsd != 0 && Math.abs(nanoUsd) < 10_000_000L) {
      return "$" + usd.round(new java.math.MathContext(2, RoundingMode.HALF_UP)).stripTrailingZeros().toPlainString();
    }
    return String.format(Locale.ROOT, "$%,.2f", usd.setScale(2, RoundingMode.HALF_UP));
  }
}
