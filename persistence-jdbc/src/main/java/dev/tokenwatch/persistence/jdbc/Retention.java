package dev.tokenwatch.persistence.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the retained ledger begins: the one row of {@code ledger_meta}, read in every transaction
 * that needs it (another instance may have dropped events since), and the last value read, which the
 * pipelined write path assumes and then checks.
 */
final class Retention {

  private final Statements sql;
  private volatile Optional<Instant> last = Optional.empty();

  Retention(Statements sql) {
    this.sql = sql;
  }

  /** Reads the retained start (null: nothing was ever dropped). */
  Instant read(Connection connection) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.readMeta)) {
      try (ResultSet rs = ps.executeQuery()) {
        return seen(read(rs));
      }
    }
  }

  /**
   * Reads the retained start from a result of {@link Statements#readMeta} (or {@link
   * Statements#lockMeta}), failing if the row is missing; the cursor is left on the row.
   */
  static Instant read(ResultSet rs) throws SQLException {
    if (!rs.next()) {
      throw new SQLException("the ledger_meta row is missing: the ledger tables are damaged");
    }
    return Statements.readInstant(rs, 1);
  }

  /** Remembers {@code value} as the last one read; returns it. */
  Instant seen(Instant value) {
    last = Optional.ofNullable(value);
    return value;
  }

  /** The value read last (null if nothing was dropped then). */
  Instant last() {
    return last.orElse(null);
  }
}
