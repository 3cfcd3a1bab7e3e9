package dev.tokenwatch.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers as people read them in alerts and status lines: counts with thousands separators,
 * percentages with one decimal, dollars to the cent. Written out by hand rather than with {@code
 * String.format}, which looks up locale data on every call and costs tens of microseconds per
 * alert on a synchronous sink (measured in the notifiers' benchmarks).
 */
public final class Amounts {

  private Amounts() {}

  /** "1,000,000": a count with thousands separators, as {@code String.format("%,d")} prints it. */
  public static String count(long value) {
    String digits = Long.toString(value);
    int sign = value < 0 ? 1 : 0;
    int length = digits.length() - sign;
    if (length <= 3) {
      return digits;
    }
    StringBuilder out = new StringBuilder(digits.length() + length / 3);
    out.append(digits, 0, sign);
    int first = length % 3 == 0 ? 3 : length % 3;
    out.append(digits, sign, sign + first);
    for (int i = sign + first; i < digits.length(); i += 3) {
      out.append(',').append(digits, i, i + 3);
    }
    return out.toString();
  }

  /** "72.4%": a ratio as a percentage with one decimal, rounded half-up. */
  public static String percent(double ratio) {
    double value = ratio * 100.0;
    if (!Double.isFinite(value)) {
      return value + "%";
    }
    return new BigDecimal(Double.toString(value)).setScale(1, RoundingMode.HALF_UP).toPlainString() + '%';
  }

  /**
   * "$1,187.40": nano-dollars rounded half-up to the cent with thousands separators; below a cent,
   * two significant digits ("$0.0042") so a small cost does not read as nothing.
   */
  public static String usd(long nanoUsd) {
    BigDecimal usd = BigDecimal.valueOf(nanoUsd, 9);
    if (nanoUsd != 0 && Math.abs(nanoUsd) < 10_000_000L) {
      return "$" + usd.round(new MathContext(2, RoundingMode.HALF_UP)).stripTrailingZeros().toPlainString();
    }
    BigDecimal cents = usd.setScale(2, RoundingMode.HALF_UP);
    String plain = cents.abs().toPlainString();
    int dot = plain.indexOf('.');
    return (cents.signum() < 0 ? "-$" : "$") + count(Long.parseLong(plain.substring(0, dot))) + plain.substring(dot);
  }
}
