package dev.tokenwatch.app.view;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.Counts;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Text formatting shared by the commands: numbers, durations, the usage bar, colour. */
public final class Format {

  static final int BAR_WIDTH = 20;
  static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ROOT);
  /** Local date and time to the second, no zone. */
  public static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private static final String RESET = "\u001b[0m";
  private static final String GREEN = "\u001b[32m";
  private static final String YELLOW = "\u001b[33m";
  private static final String RED = "\u001b[1;31m";
  private static final String BOLD = "\u001b[1m";

  private final boolean colour;

  /** A formatter that colours its output when {@code colour} is set. */
  public Format(boolean colour) {
    this.colour = colour;
  }

  /** A token count with thousands separators. */
  public static String tokens(long value) {
    return Alert.formatTokens(value);
  }

  /**
   * An amount of {@code unit} without the unit word, for text that names it already ("2,760
   * remaining" after "7,240 of 10,000 tokens"): the token count, or dollars as {@link
   * BudgetUnit#formatUsd}.
   */
  public static String amount(BudgetUnit unit, long amount) {
    return unit == BudgetUnit.TOKENS ? tokens(amount) : BudgetUnit.formatUsd(amount);
  }

  /** "48.0 M tokens", "512.3 k tokens", "900 tokens": a token count at a glance. */
  static String compactTokens(long tokens) {
    if (tokens < 1_000) {
      return tokens + " tokens";
    }
    double value = tokens;
    String[] suffixes = {"k", "M", "G", "T", "P", "E"};
    int i = -1;
    while (value >= 999.95 && i < suffixes.length - 1) {
      value /= 1_000;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s tokens", value, suffixes[i]);
  }

  /** "3 unpriced calls (12,000 tokens)": calls of a USD budget's period that have no cost. */
  public static String unpriced(Counts counts) {
    return tokens(counts.unpricedCalls()) + (counts.unpricedCalls() == 1 ? " unpriced call (" : " unpriced calls (")
        + tokens(counts.unpricedTokens()) + " tokens)";
  }

  /** A ratio as a percentage with one decimal. */
  public static String percent(double ratio) {
    return Alert.formatPercent(ratio);
  }

  /** A time to the minute with its zone. */
  public static String time(ZonedDateTime time) {
    return MINUTE.format(time);
  }

  /** A period by its first day: "2026-11-16", "2026-11-16 to 2026-11-22" (a week) or "2026-11". */
  public static String periodLabel(BudgetPeriod period, LocalDate start) {
    return switch (period) {
      case DAILY -> start.toString();
      case WEEKLY -> start + " to " + start.plusDays(6);
      case MONTHLY -> start.toString().substring(0, 7);
    };
  }

  /** {@link #periodLabel(BudgetPeriod, LocalDate)} of the period starting at {@code start}. */
  public static String periodLabel(BudgetPeriod period, ZonedDateTime start) {
    return periodLabel(period, start.toLocalDate());
  }

  /** "12d 4h", "3h 25m", "7m", "under a minute". */
  static String duration(Duration duration) {
    if (duration.isNegative() || duration.toMinutes() < 1) {
      return "under a minute";
    }
    long days = duration.toDays();
    long hours = duration.toHoursPart();
    long minutes = duration.toMinutesPart();
    if (days > 0) {
      return days + "d " + hours + "h";
    }
    return hours > 0 ? hours + "h " + minutes + "m" : minutes + "m";
  }

  /** {@code [██████████████░░░░░░] 72.4%}, coloured by how close the usage is to the limit. */
  String bar(double ratio) {
    int filled = (int) Math.round(Math.min(1.0, Math.max(0.0, ratio)) * BAR_WIDTH);
    String cells = "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled);
    String colourCode = ratio >= 0.9 ? RED : ratio >= 0.7 ? YELLOW : GREEN;
    return "[" + paint(cells, colourCode) + "] " + paint(percent(ratio), colourCode);
  }

  String bold(String text) {
    return paint(text, BOLD);
  }

  private String paint(String text, String code) {
    return colour ? code + text + RESET : text;
  }
}
