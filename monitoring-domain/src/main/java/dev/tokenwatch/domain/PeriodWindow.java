package dev.tokenwatch.domain;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * One concrete period of a budget: its kind, its start (inclusive) and end (exclusive) in the
 * budget's zone.
 */
public record PeriodWindow(BudgetPeriod period, ZonedDateTime start, ZonedDateTime end) {

  public PeriodWindow {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("end must be after start: " + start + " .. " + end);
    }
  }

  /** Whether {@code instant} falls inside this period. */
  public boolean contains(Instant instant) {
    return !instant.isBefore(start.toInstant()) && instant.isBefore(end.toInstant());
  }

  public Instant startInstant() {
    return start.toInstant();
  }

  public Instant endInstant() {
    return end.toInstant();
  }
}
