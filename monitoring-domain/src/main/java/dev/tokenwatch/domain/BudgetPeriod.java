package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.TimeGrain;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * A budget's calendar period in its time zone: a day from 00:00, a week from Monday 00:00, a month
 * from the 1st at 00:00, cut by the same rule as report rows ({@link TimeGrain}), so daylight-saving
 * days (23 or 25 hours) and short months have their true length.
 */
public enum BudgetPeriod {
  DAILY(TimeGrain.DAY),
  WEEKLY(TimeGrain.WEEK),
  MONTHLY(TimeGrain.MONTH);

  private final TimeGrain grain;

  BudgetPeriod(TimeGrain grain) {
    this.grain = grain;
  }

  /** The calendar unit of this period. */
  public TimeGrain grain() {
    return grain;
  }

  /** Start of the period that contains {@code instant}, in {@code zone}. */
  public ZonedDateTime startOf(Instant instant, ZoneId zone) {
    return grain.startOf(instant, zone);
  }

  /** Start of the period after the one starting at {@code periodStart} (its exclusive end). */
  public ZonedDateTime endOf(ZonedDateTime periodStart) {
    return grain.endOf(periodStart);
  }

  /** The period containing {@code instant}. */
  public PeriodWindow windowOf(Instant instant, ZoneId zone) {
    ZonedDateTime start = startOf(instant, zone);
    return new PeriodWindow(this, start, endOf(start));
  }

  /** Lower-case name as used in messages and configuration ("monthly"). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses "daily", "weekly" or "monthly", ignoring case. */
  public static BudgetPeriod parse(String text) {
    for (BudgetPeriod period : values()) {
      if (period.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return period;
      }
    }
    throw new IllegalArgumentException("period must be one of daily, weekly, monthly, got \"" + text + '"');
  }
}
