package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.ledger.ModelGlob;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code WHERE} clause with its parameters, for the ledger's events and rollup tables (which name
 * their dimension columns alike): a {@link UsageFilter} as SQL (model globs with {@link
 * ModelGlob#toSqlLike()}, tags with {@link TagText#likePattern}), time ranges exact to the
 * nanosecond on events, bucket ranges on rollups.
 */
final class SqlWhere {

  private final StringBuilder sql = new StringBuilder();
  private final List<Object> values = new ArrayList<>();

  /** Adds {@code clause} (with {@code ?} for each of {@code parameters}). */
  SqlWhere and(String clause, Object... parameters) {
    sql.append(sql.length() == 0 ? " WHERE " : " AND ").append(clause);
    values.addAll(List.of(parameters));
    return this;
  }

  /** Adds the conditions of {@code filter}. */
  SqlWhere filter(UsageFilter filter) {
    if (!filter.models().isEmpty()) {
      StringBuilder any = new StringBuilder("(");
      List<Object> globs = new ArrayList<>();
      for (ModelGlob glob : filter.models()) {
        any.append(globs.isEmpty() ? "" : " OR ");
        if (glob.isExact()) {
          any.append("model = ?");
          globs.add(glob.text());
        } else {
          any.append("model LIKE ? ESCAPE '\\'");
          globs.add(glob.toSqlLike());
        }
      }
      and(any.append(')').toString(), globs.toArray());
    }
    if (filter.project() != null) {
      and("project = ?", filter.project());
    }
    if (filter.session() != null) {
      and("session = ?", filter.session());
    }
    for (Map.Entry<String, String> tag : filter.tags().entrySet()) {
      and("tags LIKE ? ESCAPE '\\'", TagText.likePattern(tag.getKey(), tag.getValue()));
    }
    return this;
  }

  /** Events at or after {@code from} (exact: microseconds, then the nanoseconds beyond). */
  SqlWhere eventsFrom(Instant from) {
    long us = LedgerTime.micros(from);
    int ns = LedgerTime.nanosRest(from);
    return ns == 0 ? and("ts_us >= ?", us) : and("ts_us >= ? AND (ts_us > ? OR ts_ns >= ?)", us, us, ns);
  }

  /** Events before {@code until}. */
  SqlWhere eventsBefore(Instant until) {
    long us = LedgerTime.micros(until);
    int ns = LedgerTime.nanosRest(until);
    return ns == 0 ? and("ts_us < ?", us) : and("ts_us <= ? AND (ts_us < ? OR ts_ns < ?)", us, us, ns);
  }

  /** The clause ({@code ""} if it has no condition). */
  String text() {
    return sql.toString();
  }

  /** Binds the parameters from {@code index} on; returns the next index. */
  int bind(PreparedStatement ps, int index) throws SQLException {
    for (Object value : values) {
      if (value instanceof Long l) {
        ps.setLong(index++, l);
      } else if (value instanceof Integer i) {
        ps.setInt(index++, i);
      } else {
        ps.setString(index++, (String) value);
      }
    }
    return index;
  }
}
