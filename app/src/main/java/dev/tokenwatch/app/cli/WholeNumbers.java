package dev.tokenwatch.app.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters for options that take a whole number, so a bad value reads "must be a whole number
 * of tokens, 0 or more, got "abc"" rather than picocli's "'abc' is not a long".
 */
final class WholeNumbers {

  private WholeNumbers() {}

  /** A token count: 0 or more. */
  static final class Tokens implements ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
      return parse(text, 0, Long.MAX_VALUE, "a whole number of tokens, 0 or more");
    }
  }

  /** A count such as {@code --limit}: 1 or more. */
  static final class Positive implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      return (int) parse(text, 1, Integer.MAX_VALUE, "a whole number, 1 or more");
    }
  }

  private static long parse(String text, long min, long max, String what) {
    String digits = text.strip().replace("_", "").replace(",", "");
    String got = ", got \"" + text + '"';
    long value;
    try {
      value = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("must be " + what + (digits.matches("[0-9]+") ? ", at most "
          + String.format(Locale.ROOT, "%,d", max) : "") + got);
    }
    if (value > max) {
      throw new TypeConversionException("must be " + what + ", at most " + String.format(Locale.ROOT, "%,d", max) + got);
    }
    if (value < min) {
      throw new TypeConversionException("must be " + what + got);
    }
    return value;
  }
}
