package dev.tokenwatch.persistence.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The only place where PostgreSQL and H2 differ for this store. Everything else is one SQL path:
 * H2 runs in PostgreSQL compatibility mode, which gives it {@code INSERT ... ON CONFLICT DO
 * NOTHING}. The differences: the next sequence value, how an update returns a column of the rows
 * it changed, and how several statements are best sent (PostgreSQL: in one round trip; H2 is
 * embedded, where many rows in one statement cost less than one statement per row).
 */
enum Dialect {
  POSTGRESQL {
    @Override
    String nextValue(String sequence) {
      return "nextval('" + sequence + "')";
    }

    @Override
    String updateReturning(String update, String column) {
      return update + " RETURNING " + column;
    }

    @Override
    boolean pipelinesStatements() {
      return true;
    }
  },
  H2 {
    @Override
    String nextValue(String sequence) {
      return "NEXT VALUE FOR " + sequence;
    }

    @Override
    String updateReturning(String update, String column) {
      return "SELECT " + column + " FROM FINAL TABLE (" + update + ")";
    }

    @Override
    boolean pipelinesStatements() {
      return false;
    }
  };

  /** An expression that takes the next value of {@code sequence} (a validated, qualified name). */
  abstract String nextValue(String sequence);

  /** A query that runs {@code update} and returns {@code column} of each row it changed, as changed. */
  abstract String updateReturning(String update, String column);

  /**
   * Whether the driver sends statements joined by {@code ;} in one prepared statement in a single
   * round trip (PostgreSQL), which pays for a client-server database. Otherwise (H2, embedded) the
   * store inserts a batch's rows with multi-row {@code INSERT} statements instead.
   */
  abstract boolean pipelinesStatements();

  /** The dialect of the database behind {@code connection}; rejects other databases and H2 without PostgreSQL mode. */
  static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    if ("PostgreSQL".equalsIgnoreCase(product)) {
      return POSTGRESQL;
    }
    if ("H2".equalsIgnoreCase(product)) {
      String mode = h2Mode(connection);
      if (!"postgresql".equals(mode.toLowerCase(Locale.ROOT))) {
        throw new JdbcUsageStoreException("H2 database must run in PostgreSQL compatibility mode (add "
            + "';MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH' to its URL), but MODE is '"
            + mode + "'");
      }
      return H2;
    }
    throw new JdbcUsageStoreException("unsupported database '" + product + "': use PostgreSQL 13 or newer, or H2 2.x");
  }

  private static String h2Mode(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(
            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'MODE'")) {
      return rs.next() ? rs.getString(1) : "REGULAR";
    }
  }
}
