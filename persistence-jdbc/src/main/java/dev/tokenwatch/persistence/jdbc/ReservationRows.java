package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.reservation.CommitResult;
import dev.tokenwatch.domain.reservation.Hold;
import dev.tokenwatch.domain.reservation.OpenReservations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows of reservations ({@code ledger_reservations}, one per reservation, and {@code
 * ledger_reservation_holds}, one per window it holds, deleted with it) and their statements. Lock
 * order, shared with records: the kept windows' lock, then window totals rows (in id order), then
 * reservation rows. A reservation is ended by deleting its row ({@code RETURNING} its expiry), which
 * deletes its holds: commit (after the record's window updates), release, and the purge of expired
 * ones in every reserve.
 */
final class ReservationRows {

  /** An open amount per window id and unit, as summed by {@link #sumHeld}. */
  record Key(long windowId, BudgetUnit unit) {}

  final Statements sql;
  /**
   * PostgreSQL: a reservation's commit need not wait for the WAL flush (not durable by design); null
   * on H2. The first statement of a reserve or release ({@link #relaxDurability(Connection)}).
   */
  final String relaxDurability;
  final String purgeExpired;
  final String insertReservation;
  final String deleteReservation;
  final String endReservation;
  private final String heldIn;
  private final Map<Integer, String> lockWindows = new ConcurrentHashMap<>();
  private final Map<Integer, String> sumHeld = new ConcurrentHashMap<>();
  private final Map<Integer, String> insertHolds = new ConcurrentHashMap<>();

  ReservationRows(Statements sql) {
    this.sql = sql;
    SqlNames names = sql.names;
    relaxDurability = sql.dialect.relaxDurability();
    purgeExpired = "DELETE FROM " + names.reservations + " WHERE expires_ns <= ?";
    insertReservation = "INSERT INTO " + names.reservations + " (id, expires_ns) VALUES (?, ?) ON CONFLICT DO NOTHING";
    deleteReservation = "DELETE FROM " + names.reservations + " WHERE id = ?";
    endReservation = sql.dialect.deleteReturning(deleteReservation, "expires_ns");
    heldIn = "SELECT COALESCE(SUM(amount), 0), COUNT(*) FROM " + names.reservationHolds
        + " WHERE window_id = ? AND unit = ? AND expires_ns > ?";
  }

  /** Runs {@link #relaxDurability} on {@code connection}, first in its transaction (nothing on H2). */
  void relaxDurability(Connection connection) throws SQLException {
    if (relaxDurability != null) {
      try (Statement st = connection.createStatement()) {
        st.execute(relaxDurability);
      }
    }
  }

  /** Epoch nanoseconds of {@code instant}, clamped to the {@code BIGINT} range (years 1677 to 2262). */
  static long nanos(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
      return Long.MAX_VALUE;
    }
    if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
      return Long.MIN_VALUE;
    }
    return seconds * 1_000_000_000L + instant.getNano();
  }

  /**
   * Locks the totals rows of {@code count} window ids (bound in ascending order) in that order and
   * returns each row's id and counters.
   */
  String lockWindows(int count) {
    return lockWindows.computeIfAbsent(count, n -> "SELECT window_id, " + Statements.COUNTER_COLUMNS + " FROM "
        + sql.names.windowTotals + " WHERE window_id IN (" + Dialect.placeholders(n) + ") ORDER BY window_id FOR UPDATE");
  }

  /** The open amounts of {@code count} window ids (then the instant) by window and unit. */
  String sumHeld(int count) {
    return sumHeld.computeIfAbsent(count, n -> "SELECT window_id, unit, SUM(amount), COUNT(*) FROM "
        + sql.names.reservationHolds + " WHERE window_id IN (" + Dialect.placeholders(n) + ") AND expires_ns > ? "
        + "GROUP BY window_id, unit");
  }

  /** Inserts {@code count} holds, each (reservation id, window id, unit, amount, expiry). */
  String insertHolds(int count) {
    return insertHolds.computeIfAbsent(count, n -> {
      StringBuilder s = new StringBuilder("INSERT INTO ").append(sql.names.reservationHolds)
          .append(" (reservation_id, window_id, unit, amount, expires_ns) VALUES ");
      for (int i = 0; i < n; i++) {
        s.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?)");
      }
      return s.append(" ON CONFLICT DO NOTHING").toString();
    });
  }

  /** Binds {@link #insertHolds} from {@code index} on for {@code holds} with their window ids; returns the next index. */
  static int bindHolds(PreparedStatement ps, int index, String id, List<Hold> holds, long[] windowIds,
      long expiresNs) throws SQLException {
    for (int i = 0; i < holds.size(); i++) {
      ps.setString(index++, id);
      ps.setLong(index++, windowIds[i]);
      ps.setString(index++, holds.get(i).unit().name());
      ps.setLong(index++, holds.get(i).amount());
      ps.setLong(index++, expiresNs);
    }
    return index;
  }

  /** Reads a result of {@link #sumHeld}. */
  static Map<Key, OpenReservations> readHeld(ResultSet rs) throws SQLException {
    Map<Key, OpenReservations> out = new HashMap<>();
    while (rs.next()) {
      out.put(new Key(rs.getLong(1), BudgetUnit.valueOf(rs.getString(2))),
          new OpenReservations(rs.getLong(3), rs.getInt(4)));
    }
    return out;
  }

  /** Reads a result of {@link #endReservation}: whether the reservation was there and open at {@code now}. */
  static boolean readEnded(ResultSet rs, Instant now) throws SQLException {
    return rs.next() && rs.getLong(1) > nanos(now);
  }

  /** Ends reservation {@code id} at {@code now}: whether it was open. */
  boolean end(Connection connection, String id, Instant now) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(endReservation)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return readEnded(rs, now);
      }
    }
  }

  /**
   * Ends the reservations of the commits among {@code calls} (after their records' window updates,
   * the lock order) and pairs each call's record with whether its reservation was open.
   */
  List<CommitResult> settle(Connection connection, List<RecordPlan.Call> calls, List<RecordResult> recorded)
      throws SQLException {
    List<CommitResult> out = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      RecordPlan.Call call = calls.get(i);
      boolean held = call.reservationId() != null && end(connection, call.reservationId(), call.settledAt());
      out.add(new CommitResult(recorded.get(i), held));
    }
    return out;
  }

  /** What the reservations open at {@code now} hold in window {@code windowId} in {@code unit}. */
  OpenReservations held(Connection connection, long windowId, BudgetUnit unit, Instant now) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(heldIn)) {
      ps.setLong(1, windowId);
      ps.setString(2, unit.name());
      ps.setLong(3, nanos(now));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        int count = rs.getInt(2);
        return count == 0 ? OpenReservations.NONE : new OpenReservations(rs.getLong(1), count);
      }
    }
  }
}
