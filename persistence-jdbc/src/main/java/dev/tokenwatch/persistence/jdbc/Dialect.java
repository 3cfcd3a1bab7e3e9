package dev.tokenwatch.persistence.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The only place where PostgreSQL and H2 differ for this store. Everything else is one SQL path:
 * H2 runs in PostgreSQL compatibility mode, which gives it {@code INSERT ... ON CONFLICT DO
 * NOTHING}. The differences: the next sequence value, how an update or delete returns columns of
 * the rows it changed, how a rollup row is added to (PostgreSQL {@code ON CONFLICT (key) DO
 * UPDATE}; H2 an update, then an insert if the row was missing), how several statements are best sent (PostgreSQL: in one round
 * trip; H2 is embedded, where many rows in one statement cost less than one statement per row), the
 * lock that orders records against new kept windows, how takers of the alert outbox lock its rows,
 * how a reservation's commit skips the wait for durability, and whether sequences cache values.
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
    String deleteReturning(String delete, String columns) {
      return delete + " RETURNING " + columns;
    }

    @Override
    String addToRollup(String insert, String table, String keyColumns, String[] counters) {
      StringBuilder sql = new StringBuilder(insert).append(" ON CONFLICT (").append(keyColumns)
          .append(") DO UPDATE SET ");
      for (int i = 0; i < counters.length; i++) {
        sql.append(i == 0 ? "" : ", ").append(counters[i]).append(" = ").append(table).append('.')
            .append(counters[i]).append(" + EXCLUDED.").append(counters[i]);
      }
      return sql.toString();
    }

    @Override
    boolean pipelinesStatements() {
      return true;
    }

    @Override
    String lockKeptWindows(boolean exclusive) {
      return exclusive ? "SELECT pg_advisory_xact_lock(?)" : "SELECT pg_advisory_xact_lock_shared(?)";
    }

    @Override
    String lockDueAlerts() {
      return " FOR UPDATE SKIP LOCKED";
    }

    @Override
    boolean serialisesOutboxTakers() {
      return false;
    }

    @Override
    String relaxDurability() {
      return "SET LOCAL synchronous_commit = off";
    }

    /** None: a per-session cache would number concurrent writes out of order. */
    @Override
    String sequenceCache() {
      return "";
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
    String deleteReturning(String delete, String columns) {
      return "SELECT " + columns + " FROM OLD TABLE (" + delete + ")";
    }

    /** None: on H2 an {@code UPDATE} by key, then an insert of the missing rows, costs less than a {@code MERGE}. */
    @Override
    String addToRollup(String insert, String table, String keyColumns, String[] counters) {
      return null;
    }

    @Override
    boolean pipelinesStatements() {
      return false;
    }

    /** None: on H2 (one process) every record locks the meta row instead, which costs little embedded. */
    @Override
    String lockKeptWindows(boolean exclusive) {
      return null;
    }

    /** Takers are serialised (see {@link #serialisesOutboxTakers}); this waits only for a row being marked. */
    @Override
    String lockDueAlerts() {
      return " FOR UPDATE";
    }

    @Override
    boolean serialisesOutboxTakers() {
      return true;
    }

    /** None: reserves and releases on H2 files skip the forced write instead ({@link Transactions#writeNotDurable}). */
    @Override
    String relaxDurability() {
      return null;
    }

    /** H2 hands cached values out in order across sessions. */
    @Override
    String sequenceCache() {
      return "CACHE 1000";
    }
  };

  /** {@code n} comma-separated placeholders. */
  static String placeholders(int n) {
    StringBuilder out = new StringBuilder(3 * n);
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "?" : ", ?");
    }
    return out.toString();
  }

  /** A query that runs {@code delete} and returns {@code columns} of each row it deleted. */
  abstract String deleteReturning(String delete, String columns);

  /**
   * A statement adding counters to a rollup row of {@code table}, creating it if missing: {@code
   * insert} (of a whole row, without {@code ON CONFLICT}) made to add {@code counters} to the row of
   * the same {@code keyColumns} if there is one. Null if the dialect has none that pays (then the
   * store updates, and inserts the rows the update did not find).
   */
  abstract String addToRollup(String insert, String table, String keyColumns, String[] counters);

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

  /**
   * A statement taking, until the transaction ends, the lock that orders records (shared) against a
   * transaction that starts keeping a window (exclusive); its parameter is the lock's key. Null: the
   * dialect locks the meta row ({@code FOR UPDATE}) in every record instead.
   */
  abstract String lockKeptWindows(boolean exclusive);

  /**
   * What ends the query selecting the alert outbox's due rows ({@code ... ORDER BY ... LIMIT ?}) so
   * that they stay the taker's until it commits. PostgreSQL: {@code FOR UPDATE SKIP LOCKED}, so
   * concurrent takers, in any process, each get the next rows no one holds, without waiting.
   */
  abstract String lockDueAlerts();

  /**
   * Whether takers of the alert outbox first serialise on the meta row. H2 (2.3.232) parses {@code
   * SKIP LOCKED} but returns none of the due rows while another transaction holds some of them (4
   * due, 2 held: 0 returned, with or without {@code ORDER BY} and {@code LIMIT}), so a taker would
   * come back empty with rows left; one taker at a time (H2 is one process; a take is short) gets
   * every due row that no delivery holds.
   */
  abstract boolean serialisesOutboxTakers();

  /**
   * A statement making the transaction's commit not wait until it is durable (reservations need not
   * survive a crash), first in the transaction; null if the dialect has none.
   */
  abstract String relaxDurability();

  /** The {@code CACHE} clause of the ledger's sequences in the migrations ({@code ${sequenceCache}}). */
  abstract String sequenceCache();

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
