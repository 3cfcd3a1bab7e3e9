package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The rare operations that delete events: a window's reset and retention. Both delete with {@code
 * RETURNING} (H2: {@code OLD TABLE}) and take exactly the deleted events out of the rollups in the
 * same transaction, so the rollups stay the sums of the events whatever writers run meanwhile.
 */
final class LedgerMaintenance {

  private static final Logger LOG = LogManager.getLogger(LedgerMaintenance.class);

  /** Events deleted per transaction by {@link #deleteBefore}. */
  static final int DROP_BATCH = 5_000;

  private final Statements sql;
  private final Transactions transactions;
  private final Retention retention;
  private final RollupRows rollups;
  private final Claims claims;
  private final WindowIds ids;
  private final KeptWindows kept;

  LedgerMaintenance(Statements sql, Transactions transactions, Retention retention, RollupRows rollups, Claims claims,
      WindowIds ids, KeptWindows kept) {
    this.sql = sql;
    this.transactions = transactions;
    this.retention = retention;
    this.rollups = rollups;
    this.claims = claims;
    this.ids = ids;
    this.kept = kept;
  }

  /** See {@link dev.tokenwatch.domain.port.UsageStore#resetWindow}: one transaction. */
  void resetWindow(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    transactions.write("resetting " + window, connection -> {
      reset(connection, window);
      return null;
    });
  }

  /**
   * See {@link dev.tokenwatch.domain.port.UsageStore#dropBefore}: moves the retained start in one
   * transaction, then deletes in batches, each its own transaction; also removes what an interrupted
   * earlier drop left behind.
   */
  void dropBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    Instant start = transactions.write("moving the retained start to " + cutoff,
        connection -> moveStart(connection, cutoff));
    retention.seen(start);
    while (transactions.write("dropping events before " + start,
        connection -> deleteBefore(connection, start)) == DROP_BATCH) {
      LOG.debug("dropped {} events before {}, continuing", DROP_BATCH, start);
    }
  }

  /**
   * Deletes the events {@code window} charges, its claims, and the kept totals of every window
   * overlapping its period (derived from the ledger again when next used). Locks in the order of
   * record: events, rollup rows, then window rows.
   */
  private void reset(Connection connection, BudgetWindow window) throws SQLException {
    SqlWhere where = new SqlWhere().eventsFrom(window.start()).eventsBefore(window.end()).filter(window.scope());
    rollups.subtract(connection, deleteReturning(connection, "DELETE FROM " + sql.names.events + where.text(), where));
    try (PreparedStatement ps = connection.prepareStatement(sql.deleteOverlappingTotals)) {
      ps.setLong(1, WindowIds.ceilMicros(window));
      ps.setLong(2, LedgerTime.micros(window.start()));
      ps.executeUpdate();
    }
    claims.delete(connection, window);
    ids.forgetTotals();
    kept.invalidate();
  }

  /**
   * Moves the retained start to {@code cutoff} if that is later than the current one; returns the
   * retained start after (the instant before which {@link #deleteBefore} must delete).
   */
  private Instant moveStart(Connection connection, Instant cutoff) throws SQLException {
    Instant current;
    try (PreparedStatement ps = connection.prepareStatement(sql.lockMeta); ResultSet rs = ps.executeQuery()) {
      current = Retention.read(rs);
    }
    if (current != null && !cutoff.isAfter(current)) {
      return current;
    }
    try (PreparedStatement ps = connection.prepareStatement(sql.setRetention)) {
      ps.setLong(1, LedgerTime.micros(cutoff));
      ps.setInt(2, LedgerTime.nanosRest(cutoff));
      ps.executeUpdate();
    }
    return cutoff;
  }

  /** Deletes up to {@link #DROP_BATCH} events before {@code start}; returns how many. */
  private int deleteBefore(Connection connection, Instant start) throws SQLException {
    SqlWhere before = new SqlWhere().eventsBefore(start);
    String delete = "DELETE FROM " + sql.names.events + " WHERE id IN (SELECT id FROM " + sql.names.events
        + before.text() + " ORDER BY ts_us LIMIT " + DROP_BATCH + ")";
    List<TokenUsageEvent> removed = deleteReturning(connection, delete, before);
    rollups.subtract(connection, removed);
    return removed.size();
  }

  private List<TokenUsageEvent> deleteReturning(Connection connection, String delete, SqlWhere where)
      throws SQLException {
    List<TokenUsageEvent> removed = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql.dialect.deleteReturning(delete,
        Statements.EVENT_COLUMNS))) {
      where.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          removed.add(Statements.readEvent(rs, 1));
        }
      }
    }
    return removed;
  }
}
