package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.UsageAggregator;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.ledger.UsageRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneOffsetTransitionRule;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Answers a {@link UsageQuery} in one SQL statement (one snapshot): the whole 15-minute buckets of
 * its range from the rollup table, the partial buckets at its edges from the events themselves (so
 * the range is exact to the event), each part pre-summed by {@code GROUP BY} over just the columns the
 * query needs, filtered in SQL, and fed to the domain's {@link UsageAggregator}, which cuts the rows
 * into the query's units. A bucket lies inside one unit of any zone whose offsets in the range are
 * multiples of 15 minutes (every zone today); for a range where the zone's offset was not (local mean
 * time before the zone adopted standard time), the events are grouped by their own timestamps.
 */
final class LedgerQuery {

  private static final String SUMS = "SUM(input_tokens), SUM(output_tokens), SUM(cache_creation_tokens), "
      + "SUM(cache_read_tokens), SUM(total_tokens), ";
  /** The calls and cost sums of rollup rows. */
  private static final String ROLLUP_CALLS = "SUM(calls), SUM(cost_nano_usd), SUM(unpriced_calls), SUM(unpriced_tokens)";
  /** The same over events, whose cost is NULL when not known. */
  private static final String EVENT_CALLS = "COUNT(*), SUM(COALESCE(cost_nano_usd, 0)), "
      + "SUM(CASE WHEN cost_nano_usd IS NULL THEN 1 ELSE 0 END), "
      + "SUM(CASE WHEN cost_nano_usd IS NULL THEN total_tokens ELSE 0 END)";

  private final Statements sql;
  private final UsageQuery query;
  private final Set<Dimension.Kind> columns = EnumSet.noneOf(Dimension.Kind.class);
  private final List<SqlWhere> whereOfPart = new ArrayList<>();
  private final String statement;
  /** The statement without its first part, when that part is the local-mean-time range (else null). */
  private final String withoutExactPart;
  /** The end of the local-mean-time range the first part covers, when {@link #withoutExactPart} is set. */
  private final Instant exactPartUntil;

  LedgerQuery(Statements sql, UsageQuery query) {
    this.sql = sql;
    this.query = query;
    for (Dimension d : query.groupBy()) {
      columns.add(d.kind());
    }
    List<String> parts = new ArrayList<>(4);
    Instant from = query.from();
    Instant until = query.until();
    Instant exactUntil = null;
    if (query.grain() != null) {
      // Before the zone's offsets became multiples of 15 minutes, events are grouped by their own instants.
      Instant aligned = alignedSince(query.zone().getRules());
      if (aligned != null && (from == null || from.isBefore(aligned))) {
        boolean allExact = aligned.equals(Instant.MAX) || (until != null && !until.isAfter(aligned));
        parts.add(eventsPart(from, allExact ? until : aligned, true));
        if (allExact) {
          statement = parts.get(0);
          withoutExactPart = null;
          exactPartUntil = null;
          return;
        }
        from = aligned;
        exactUntil = aligned;
      }
    }
    addBucketParts(parts, from, until);
    statement = String.join(" UNION ALL ", parts);
    withoutExactPart = exactUntil == null ? null : String.join(" UNION ALL ", parts.subList(1, parts.size()));
    exactPartUntil = exactUntil;
  }

  /** Rollup rows for the whole buckets of [from, until), events for the partial buckets at its edges. */
  private void addBucketParts(List<String> parts, Instant from, Instant until) {
    Long firstBucket = from == null ? null : LedgerTime.firstBucketFrom(from);
    Long endBucket = until == null ? null : LedgerTime.bucket(until);
    if (firstBucket != null && endBucket != null && firstBucket >= endBucket) {
      parts.add(eventsPart(from, until, false));
      return;
    }
    SqlWhere where = new SqlWhere();
    if (firstBucket != null) {
      where.and("bucket >= ?", firstBucket);
    }
    if (endBucket != null) {
      where.and("bucket < ?", endBucket);
    }
    where.filter(query.filter());
    whereOfPart.add(where);
    parts.add(select("0, bucket, 0", sql.names.rollup, ROLLUP_CALLS, where, "bucket"));
    if (from != null && !LedgerTime.bucketStart(firstBucket).equals(from)) {
      parts.add(eventsPart(from, LedgerTime.bucketStart(firstBucket), false));
    }
    if (until != null && !LedgerTime.bucketStart(endBucket).equals(until)) {
      parts.add(eventsPart(LedgerTime.bucketStart(endBucket), until, false));
    }
  }

  private String eventsPart(Instant from, Instant until, boolean exactTime) {
    SqlWhere where = new SqlWhere();
    if (from != null) {
      where.eventsFrom(from);
    }
    if (until != null) {
      where.eventsBefore(until);
    }
    where.filter(query.filter());
    whereOfPart.add(where);
    return exactTime
        ? select("1, ts_us, ts_ns", sql.names.events, EVENT_CALLS, where, "ts_us, ts_ns")
        : select("0, bucket, 0", sql.names.events, EVENT_CALLS, where, "bucket");
  }

  /** One part: time columns, the needed dimensions (NULL for the others), the sums. */
  private String select(String time, String table, String calls, SqlWhere where, String timeGroup) {
    List<String> group = new ArrayList<>();
    boolean byTime = query.grain() != null;
    if (byTime) {
      group.add(timeGroup);
    }
    StringBuilder s = new StringBuilder("SELECT ");
    s.append(byTime ? time : "0, CAST(0 AS BIGINT), 0");
    s.append(", ").append(column("model", Dimension.Kind.MODEL, group));
    s.append(", ").append(column("project", Dimension.Kind.PROJECT, group));
    s.append(", ").append(column("session", Dimension.Kind.SESSION, group));
    s.append(", ").append(column("tags", Dimension.Kind.TAG, group));
    s.append(", ").append(SUMS).append(calls).append(" FROM ").append(table).append(where.text());
    if (!group.isEmpty()) {
      s.append(" GROUP BY ").append(String.join(", ", group));
    }
    return s.toString();
  }

  /**
   * The column if the query groups by it, else a NULL typed {@code VARCHAR} without a length: with the
   * column's declared length (up to 4000) PostgreSQL would plan its hash aggregate for rows that wide and
   * spill to disk early.
   */
  private String column(String name, Dimension.Kind kind, List<String> group) {
    if (columns.contains(kind)) {
      group.add(name);
      return name;
    }
    return "CAST(NULL AS VARCHAR)";
  }

  /** The rows of the answer. */
  List<UsageRow> rows(Connection connection) throws SQLException {
    UsageAggregator aggregator = new UsageAggregator(query);
    run(connection, (at, model, project, session, tags, counts) ->
        aggregator.add(at, model, project, session, tags == null ? java.util.Map.of() : TagText.parse(tags), counts));
    return aggregator.rows();
  }

  /** The sum over the whole query (its grouping ignored). */
  Counts total(Connection connection) throws SQLException {
    Counts[] sum = {Counts.ZERO};
    run(connection, (at, model, project, session, tags, counts) -> sum[0] = sum[0].plus(counts));
    return sum[0];
  }

  private interface Sink {
    void add(Instant at, String model, String project, String session, String tags, Counts counts);
  }

  /** The statement, {@code prefix} before it, with its parameters bound. */
  private PreparedStatement prepare(Connection connection, String prefix) throws SQLException {
    // The local-mean-time part (events before about 1900) is nearly always empty; asked alone with LIMIT 1,
    // any planner walks the time index, where in the union a planner with stale statistics may scan the table.
    boolean skipExact = withoutExactPart != null && !anyEventBefore(connection, exactPartUntil);
    PreparedStatement ps = connection.prepareStatement(prefix + (skipExact ? withoutExactPart : statement));
    try {
      int index = 1;
      for (SqlWhere where : skipExact ? whereOfPart.subList(1, whereOfPart.size()) : whereOfPart) {
        index = where.bind(ps, index);
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  private void run(Connection connection, Sink sink) throws SQLException {
    try (PreparedStatement ps = prepare(connection, "")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long calls = rs.getLong(13);
          if (rs.wasNull() || calls == 0) {
            continue;
          }
          Instant at = query.grain() == null ? Instant.EPOCH
              : rs.getInt(1) == 1 ? LedgerTime.instant(rs.getLong(2), rs.getInt(3)) : LedgerTime.bucketStart(rs.getLong(2));
          sink.add(at, rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
              new Counts(rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), calls,
                  rs.getLong(14), rs.getLong(15), rs.getLong(16)));
        }
      }
    }
  }

  private boolean anyEventBefore(Connection connection, Instant until) throws SQLException {
    SqlWhere where = new SqlWhere().eventsBefore(until);
    try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM " + sql.names.events + where.text()
        + " ORDER BY ts_us LIMIT 1")) {
      where.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The lines of {@code explain} (e.g. {@code "EXPLAIN ANALYZE "}) run on the statement with its parameters. */
  List<String> explain(Connection connection, String explain) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (PreparedStatement ps = prepare(connection, explain)) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lines.add(rs.getString(1));
        }
      }
    }
    return lines;
  }

  /**
   * The instant from which every offset of {@code rules} is a multiple of 15 minutes, or null if
   * always (a fixed offset like UTC). Zones left local mean time (offsets like +05:53:28) in the 19th
   * or 20th century; a zone whose current rules are not on the 15-minute grid would make it {@link
   * Instant#MAX} (none is).
   */
  static Instant alignedSince(ZoneRules rules) {
    for (ZoneOffsetTransitionRule r : rules.getTransitionRules()) {
      if (!fits(r.getOffsetAfter()) || !fits(r.getOffsetBefore())) {
        return Instant.MAX;
      }
    }
    List<ZoneOffsetTransition> transitions = rules.getTransitions();
    if (transitions.isEmpty()) {
      return fits(rules.getOffset(Instant.EPOCH)) ? null : Instant.MAX;
    }
    Instant since = null;
    for (ZoneOffsetTransition t : transitions) {
      if (!fits(t.getOffsetAfter())) {
        since = Instant.MAX;
      } else if (!fits(t.getOffsetBefore())) {
        since = t.getInstant();
      }
    }
    return since;
  }

  private static boolean fits(ZoneOffset offset) {
    return offset.getTotalSeconds() % LedgerTime.BUCKET_SECONDS == 0;
  }
}
