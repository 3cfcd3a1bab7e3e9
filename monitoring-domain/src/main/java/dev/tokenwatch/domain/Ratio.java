package dev.tokenwatch.domain;

import java.math.BigDecimal;

/**
 * A threshold as people write it: a ratio of the limit ({@code 0.8}) or a percentage ({@code 80%}),
 * above 0 and at most {@link #MAX}. The one rule for budgets' alert and forecast thresholds, the
 * configuration file and {@code check --at-most}.
 */
public final class Ratio {

  /** The largest threshold: 10 times the limit (1,000%). */
  public static final double MAX = 10.0;

  /** How a ratio is written, for messages. */
  public static final String FORM = "a ratio such as 0.8 or a percentage such as 80%";

  private static final String RANGE = "must be above 0 and at most " + (int) MAX + " (" + (int) (100 * MAX) + "%)";

  private Ratio() {}

  /**
   * The ratio {@code text} means: {@code "0.8"} and {@code "80%"} are 0.8.
   *
   * @throws IllegalArgumentException when it is no number or outside the range; the message starts
   *     with "must" and ends with the text as given, for the caller to put a name in front of it
   */
  public static double parse(String text) {
    double value = read(text);
    if (!inRange(value)) {
      throw new IllegalArgumentException(RANGE + hint(value, text.trim().endsWith("%")) + ", got \"" + text + "\"");
    }
    return value;
  }

  /**
   * The ratio {@code text} means, not checked against the range (a budget checks it when built).
   *
   * @throws IllegalArgumentException when it is no number ("must be a ratio such as ..., got "abc"")
   */
  public static double read(String text) {
    String trimmed = text.trim();
    boolean percent = trimmed.endsWith("%");
    try {
      BigDecimal value = new BigDecimal(percent ? trimmed.substring(0, trimmed.length() - 1).trim() : trimmed);
      return (percent ? value.movePointLeft(2) : value).doubleValue();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be " + FORM + ", got \"" + text + "\"");
    }
  }

  /**
   * Null when {@code value} is a valid threshold, else what is wrong, ending with the value
   * ({@code "must be above 0 and at most 10 (1000%), got 80.0"}, with a hint when 80 surely meant 80%).
   */
  public static String problem(Double value) {
    if (value != null && inRange(value)) {
      return null;
    }
    return RANGE + (value == null ? "" : hint(value, false)) + ", got " + value;
  }

  private static boolean inRange(double value) {
    return value > 0 && value <= MAX;
  }

  /** ", for 80% write 0.8 or 80%" when a plain number above the range would be a percentage in it. */
  private static String hint(double value, boolean percent) {
    if (percent || !(value > MAX && value <= 100 * MAX)) {
      return "";
    }
    String asWritten = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    String ratio = BigDecimal.valueOf(value).movePointLeft(2).stripTrailingZeros().toPlainString();
    return ", for " + asWritten + "% write " + ratio + " or " + asWritten + "%";
  }
}
