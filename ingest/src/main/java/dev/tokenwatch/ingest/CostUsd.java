package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Cost in tokenwatch's JSON ({@code costUsd}): a plain decimal number of US dollars with up to nine
 * places, exactly the whole nano-dollars the ledger keeps (no floating point on either side).
 */
public final class CostUsd {

  private static final int PLACES = 9;

  private CostUsd() {}

  /** {@code nanoUsd} as US dollars, without trailing zeros: 1234500000 is 1.2345. */
  public static BigDecimal of(long nanoUsd) {
    BigDecimal usd = BigDecimal.valueOf(nanoUsd, PLACES).stripTrailingZeros();
    return usd.scale() < 0 ? usd.setScale(0) : usd;
  }

  /**
   * The whole nano-dollars of {@code usd}.
   *
   * @throws IllegalArgumentException if it is negative, has more than nine decimal places or does
   *     not fit a long of nano-dollars
   */
  public static long nanos(BigDecimal usd) {
    if (usd.signum() < 0) {
      throw new IllegalArgumentException("must not be negative, got " + usd.toPlainString());
    }
    if (usd.stripTrailingZeros().scale() > PLACES) {
      throw new IllegalArgumentException("must have at most " + PLACES + " decimal places (whole nano-dollars), got "
          + usd.toPlainString());
    }
    try {
      return usd.movePointRight(PLACES).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("is too large, got " + usd.toPlainString(), e);
    }
  }

  /** Writes {@code field} as a plain decimal number ({@code 0.0123}, never {@code 1.23E-2}). */
  static void write(JsonGenerator g, String field, long nanoUsd) throws IOException {
    g.writeFieldName(field);
    g.writeNumber(of(nanoUsd).toPlainString());
  }
}
