package dev.tokenwatch.domain.ledger;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * A question to the ledger: the usage of the events in {@code [from, until)} that pass {@code
 * filter}, grouped by a calendar unit in {@code zone} (or not by time) and by any dimensions. Bounds
 * are instants, exact to the event.
 *
 * @param from first instant counted, inclusive; {@code null} for the beginning of the ledger
 * @param until end, exclusive; {@code null} for no end
 * @param filter which events count
 * @param grain the time unit of the rows, or {@code null} for one row per dimension group
 * @param zone the zone the units are cut in
 * @param groupBy the dimensions of a row, in order; empty for one row per time unit
 */
public record UsageQuery(Instant from, Instant until, UsageFilter filter, TimeGrain grain, ZoneId zone,
    List<Dimension> groupBy) {

  public UsageQuery {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(zone, "zone");
    groupBy = List.copyOf(groupBy);
    if (from != null && until != null && !until.isAfter(from)) {
      throw new IllegalArgumentException("until (" + until + ") must be after from (" + from + ")");
    }
    if (groupBy.stream().distinct().count() != groupBy.size()) {
      throw new IllegalArgumentException("each dimension may be grouped by once, got " + groupBy);
    }
  }

  /** A query of everything, in one row, in UTC; narrow it with the {@code with} methods. */
  public static UsageQuery all() {
    return new UsageQuery(null, null, UsageFilter.ANY, null, ZoneOffset.UTC, List.of());
  }

  /** This query over {@code [from, until)} ({@code null} for open ends). */
  public UsageQuery between(Instant newFrom, Instant newUntil) {
    return new UsageQuery(newFrom, newUntil, filter, grain, zone, groupBy);
  }

  /** This query with another filter. */
  public UsageQuery filter(UsageFilter newFilter) {
    return new UsageQuery(from, until, newFilter, grain, zone, groupBy);
  }

  /** This query with rows per {@code newGrain} in {@code newZone}. */
  public UsageQuery per(TimeGrain newGrain, ZoneId newZone) {
    return new UsageQuery(from, until, filter, newGrain, newZone, groupBy);
  }

  /** This query grouped by {@code dimensions}. */
  public UsageQuery groupBy(Dimension... dimensions) {
    return new UsageQuery(from, until, filter, grain, zone, List.of(dimensions));
  }

  /** Whether {@code at} lies in the query's range. */
  public boolean covers(Instant at) {
    return (from == null || !at.isBefore(from)) && (until == null || at.isBefore(until));
  }
}
