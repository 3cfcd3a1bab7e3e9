package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@code history}: the latest events passing a filter, read backwards along the time index. */
final class LedgerHistory {

  private LedgerHistory() {}

  /** The {@code limit} latest events passing {@code filter}, oldest first; ties in write order. */
  static List<TokenUsageEvent> latest(Connection connection, Statements sql, UsageFilter filter, int limit)
      throws SQLException {
    SqlWhere where = new SqlWhere().filter(filter);
    List<TokenUsageEvent> newestFirst = new ArrayList<>(Math.min(limit, 1024));
    try (PreparedStatement ps = connection.prepareStatement("SELECT " + Statements.EVENT_COLUMNS + " FROM "
        + sql.names.events + where.text() + " ORDER BY ts_us DESC, ts_ns DESC, id DESC LIMIT ?")) {
      int next = where.bind(ps, 1);
      ps.setInt(next, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          newestFirst.add(Statements.readEvent(rs, 1));
        }
      }
    }
    Collections.reverse(newestFirst);
    return newestFirst;
  }
}
