package dev.tokenwatch.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * A calendar period in a budget's time zone: a day starts at 00:00, a week on Monday at 00:00, a
 * month on the 1st at 00:00. Computed with {@link ZonedDateTime}, so daylight-saving days (23 or 25
 * hours) and short months have their true length.
 */
public enum BudgetPeriod {
  DAILY {
    @Override
    LocalDate firstDay(LocalDate date) {
      return date;
    }

    @Override
    LocalDate nextFirstDay(LocalDate firstDay) {
      return firstDay.plusDays(1);
    }
  },
  WEEKLY {
    @Override
    LocalDate firstDay(LocalDate date) {
      return date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    @Override
    LocalDate nextFirstDay(LocalDate firstDay) {
      return firstDay.plusWeeks(1);
    }
  },
  MONTHLY {
    @Override
    LocalDate firstDay(LocalDate date) {
      return date.withDayOfMonth(1);
    }

    @Override
    LocalDate nextFirstDay(LocalDate firstDay) {
      return firstDay.plusMonths(1);
    }
  };

  abstract LocalDate firstDay(LocalDate date);

  abstract LocalDate nextFirstDay(LocalDate firstDay);

  /** Start of the period that contains {@code instant}, in {@code zone}. */
  public ZonedDateTime startOf(Instant instant, ZoneId zone) {
    LocalDate date = instant.atZone(zone).toLocalDate();
    return firstDay(date).atStartOfDay(zone);
  }

  /** Start of the period after the one starting at {@code periodStart} (its exclusive end). */
  public ZonedDateTime endOf(ZonedDateTime periodStart) {
    return nextFirstDay(periodStart.toLocalDate()).atStartOfDay(periodStart.getZone());
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
