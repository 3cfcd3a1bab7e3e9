package dev.tokenwatch.app.cli;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The days {@code --since} and {@code --until} accept: a day ({@code 2026-11-01} or {@code
 * 20261101}), or a range of days relative to today in the report's zone: {@code today}, {@code
 * yesterday}, {@code Nd} (the last N days, today included), {@code this-week} and {@code last-week}
 * (from Monday), {@code this-month} and {@code last-month}. {@code --since} takes a range's first
 * day and {@code --until} its last, so {@code --since last-month --until last-month} is last month.
 */
final class RelativeDates {

  static final String FORMS = "a day such as 2026-11-01 or 20261101, or 7d, today, yesterday, this-week, "
      + "last-week, this-month or last-month";

  private static final Pattern DAYS = Pattern.compile("([0-9]{1,5})d");
  private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT)
      .withResolverStyle(ResolverStyle.STRICT);

  private RelativeDates() {}

  /**
   * One value of {@code --since} or {@code --until}: a range of days, given today.
   *
   * @param text as given, for messages
   * @param first the range's first day for a given today
   * @param last the range's last day for a given today
   */
  record DateArg(String text, UnaryOperator<LocalDate> first, UnaryOperator<LocalDate> last) {
    /** The first day of the range ({@code --since}). */
    LocalDate first(LocalDate today) {
      return first.apply(today);
    }

    /** The last day of the range ({@code --until}). */
    LocalDate last(LocalDate today) {
      return last.apply(today);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** {@code text} as a day or a relative range; an {@link IllegalArgumentException} names the forms. */
  static DateArg parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "today":
        return new DateArg(text, d -> d, d -> d);
      case "yesterday":
        return new DateArg(text, d -> d.minusDays(1), d -> d.minusDays(1));
      case "this-week":
        return new DateArg(text, RelativeDates::monday, d -> monday(d).plusDays(6));
      case "last-week":
        return new DateArg(text, d -> monday(d).minusWeeks(1), d -> monday(d).minusDays(1));
      case "this-month":
        return new DateArg(text, d -> d.withDayOfMonth(1), d -> d.with(TemporalAdjusters.lastDayOfMonth()));
      case "last-month":
        return new DateArg(text, d -> d.withDayOfMonth(1).minusMonths(1), d -> d.withDayOfMonth(1).minusDays(1));
      default:
        break;
    }
    Matcher days = DAYS.matcher(t);
    if (days.matches()) {
      int n = Integer.parseInt(days.group(1));
      if (n == 0) {
        throw new IllegalArgumentException("must be at least 1d (today), got \"" + text + "\"");
      }
      return new DateArg(text, d -> d.minusDays(n - 1L), d -> d);
    }
    LocalDate day = day(t, text);
    return new DateArg(text, d -> day, d -> day);
  }

  private static LocalDate day(String trimmed, String text) {
    try {
      return trimmed.length() == 8 && trimmed.chars().allMatch(Character::isDigit) ? LocalDate.parse(trimmed, BASIC)
          : LocalDate.parse(trimmed);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("must be " + FORMS + ", got \"" + text + "\"", e);
    }
  }

  private static LocalDate monday(LocalDate day) {
    return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  /** picocli's converter: the message names the forms (picocli prefixes the option). */
  static final class Converter implements ITypeConverter<DateArg> {
    @Override
    public DateArg convert(String text) {
      try {
        return parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
