package dev.tokenwatch.domain.ledger;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * A calendar unit in a time zone: an hour, a day (from 00:00), a week (from Monday 00:00) or a month
 * (from the 1st at 00:00). Computed with {@link ZonedDateTime}, so daylight-saving days have 23 or
 * 25 hours, and zones with 30- or 45-minute offsets start their hours and days where their clocks
 * say. Budget periods and report rows are both cut by this one rule.
 */
public enum TimeGrain {
  HOUR {
    @Override
    ZonedDateTime start(ZonedDateTime at) {
      return at.truncatedTo(ChronoUnit.HOURS);
    }

    @Override
    ZonedDateTime next(ZonedDateTime start) {
      return start.plusHours(1);
    }
  },
  DAY {
    @Override
    ZonedDateTime start(ZonedDateTime at) {
      return at.toLocalDate().atStartOfDay(at.getZone());
    }

    @Override
    ZonedDateTime next(ZonedDateTime start) {
      return start.toLocalDate().plusDays(1).atStartOfDay(start.getZone());
    }
  },
  WEEK {
    @Override
    ZonedDateTime start(ZonedDateTime at) {
      return at.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(at.getZone());
    }

    @Override
    ZonedDateTime next(ZonedDateTime start) {
      return start.toLocalDate().plusWeeks(1).atStartOfDay(start.getZone());
    }
  },
  MONTH {
    @Override
    ZonedDateTime start(ZonedDateTime at) {
      return at.toLocalDate().withDayOfMonth(1).atStartOfDay(at.getZone());
    }

    @Override
    ZonedDateTime next(ZonedDateTime start) {
      return start.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(start.getZone());
    }
  };

  abstract ZonedDateTime start(ZonedDateTime at);

  abstract ZonedDateTime next(ZonedDateTime start);

  /** Start of the unit containing {@code instant} in {@code zone}. */
  public ZonedDateTime startOf(Instant instant, ZoneId zone) {
    return start(instant.atZone(zone));
  }

  /** Start of the unit after the one starting at {@code start} (its exclusive end). */
  public ZonedDateTime endOf(ZonedDateTime start) {
    return next(start);
  }

  /** Lower-case name as in options and JSON ("day"). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses "hour", "day", "week" or "month", ignoring case. */
  public static TimeGrain parse(String text) {
    for (TimeGrain grain : values()) {
      if (grain.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return grain;
      }
    }
    throw new IllegalArgumentException("grain must be one of hour, day, week, month, got \"" + text + '"');
  }
}
