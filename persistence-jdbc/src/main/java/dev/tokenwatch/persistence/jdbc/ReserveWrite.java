package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.reservation.Hold;
import dev.tokenwatch.domain.reservation.HoldState;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code reserve} as one transaction: takes the kept windows' lock (exclusive if a held window has
 * no totals row yet, which is then created from the ledger's figure, as a record does), locks the
 * held windows' totals rows in id order ({@code FOR UPDATE}: every record and commit of those
 * windows, and every other reserve, waits), sums the open holds of each window and unit, deletes
 * expired reservations, and decides with {@link ReservationRequest#firstRefused} in Java on those
 * figures; the reservation and its holds are inserted only if granted. The figures cannot move
 * between the read and the insert: whoever changes a window's usage or adds to its holds needs its
 * row lock. So there is no check-then-act across transactions, and the first concurrent reservers
 * of a new window serialise on the exclusive lock and then on its row.
 *
 * <p>PostgreSQL, windows this instance has seen kept: everything up to the inserts goes in one round
 * trip (the inserts included, optimistically); the decision then commits or rolls back, so a
 * reserve costs two round trips like a record. Otherwise (H2, a new window, a window reset by
 * another writer) the statements go one by one.
 */
final class ReserveWrite {

  private final Statements sql;
  private final ReservationRows rows;
  private final WindowIds ids;
  private final WindowRows windows;
  private final KeptWindows kept;
  private final Map<Integer, String> pipelined = new ConcurrentHashMap<>();

  ReserveWrite(Statements sql, ReservationRows rows, WindowIds ids, WindowRows windows, KeptWindows kept) {
    this.sql = sql;
    this.rows = rows;
    this.ids = ids;
    this.windows = windows;
    this.kept = kept;
  }

  ReserveOutcome run(Connection connection, ReservationRequest request, Instant now) throws SQLException {
    if (sql.dialect.pipelinesStatements()) {
      ReserveOutcome outcome = tryPipelined(connection, request, now);
      if (outcome != null) {
        return outcome;
      }
    }
    return general(connection, request, now);
  }

  /** In one round trip, or null (having rolled back) when a window's totals row is not known to exist. */
  private ReserveOutcome tryPipelined(Connection connection, ReservationRequest request, Instant now)
      throws SQLException {
    List<Hold> holds = request.holds();
    long[] windowIds = new long[holds.size()];
    for (int i = 0; i < windowIds.length; i++) {
      Long id = ids.cached(holds.get(i).window());
      if (id == null || !ids.hasTotals(id)) {
        return null;
      }
      windowIds[i] = id;
    }
    long[] sorted = windowIds.clone();
    Arrays.sort(sorted);
    long nowNs = ReservationRows.nanos(now);
    long expiresNs = ReservationRows.nanos(request.expiresAt());
    Map<Long, Counts> locked;
    Map<ReservationRows.Key, OpenReservations> held = Map.of();
    int inserted;
    try (PreparedStatement ps = connection.prepareStatement(pipelined.computeIfAbsent(holds.size(), this::statement))) {
      int index = 1;
      if (!holds.isEmpty()) {
        ps.setLong(index++, kept.lockKey());
        for (long id : sorted) {
          ps.setLong(index++, id);
        }
        for (long id : sorted) {
          ps.setLong(index++, id);
        }
        ps.setLong(index++, nowNs);
      }
      ps.setLong(index++, nowNs);
      ps.setString(index++, request.id());
      ps.setLong(index++, expiresNs);
      if (!holds.isEmpty()) {
        ReservationRows.bindHolds(ps, index, request.id(), holds, windowIds, expiresNs);
      }
      ps.execute();
      if (holds.isEmpty()) {
        locked = Map.of();
      } else {
        nextRows(ps).close();
        try (ResultSet rs = nextRows(ps)) {
          locked = readTotals(rs);
        }
        try (ResultSet rs = nextRows(ps)) {
          held = ReservationRows.readHeld(rs);
        }
      }
      nextCount(ps);
      inserted = nextCount(ps);
      if (!holds.isEmpty()) {
        nextCount(ps);
      }
    }
    if (locked.size() < windowIds.length) {
      connection.rollback();
      for (int i = 0; i < windowIds.length; i++) {
        if (!locked.containsKey(windowIds[i])) {
          ids.forget(holds.get(i).window());
        }
      }
      return null;
    }
    if (inserted == 0) {
      connection.rollback();
      throw openAlready(request);
    }
    ReserveOutcome outcome = ReserveOutcome.decide(request, states(holds, windowIds, locked, held));
    if (!outcome.granted()) {
      connection.rollback();
    }
    return outcome;
  }

  private String statement(int holds) {
    List<String> parts = new ArrayList<>();
    parts.add(rows.relaxDurability);
    if (holds > 0) {
      parts.add(sql.dialect.lockKeptWindows(false));
      parts.add(rows.lockWindows(holds));
      parts.add(rows.sumHeld(holds));
    }
    parts.add(rows.purgeExpired);
    parts.add(rows.insertReservation);
    if (holds > 0) {
      parts.add(rows.insertHolds(holds));
    }
    return String.join("; ", parts);
  }

  /** Statement by statement (H2; PostgreSQL when a window may need its totals created). */
  private ReserveOutcome general(Connection connection, ReservationRequest request, Instant now) throws SQLException {
    rows.relaxDurability(connection);
    List<Hold> holds = request.holds();
    long[] windowIds = new long[holds.size()];
    Map<Long, Counts> locked = Map.of();
    Map<ReservationRows.Key, OpenReservations> held = Map.of();
    if (!holds.isEmpty()) {
      List<BudgetWindow> named = new ArrayList<>(holds.size());
      for (Hold hold : holds) {
        named.add(hold.window());
      }
      boolean exclusive = windows.mayNeedSeed(named);
      kept.lock(connection, exclusive);
      if (exclusive) {
        windows.seed(connection, named, kept);
      }
      for (int i = 0; i < windowIds.length; i++) {
        windowIds[i] = ids.id(connection, named.get(i));
      }
      long[] sorted = windowIds.clone();
      Arrays.sort(sorted);
      try (PreparedStatement ps = connection.prepareStatement(rows.lockWindows(sorted.length))) {
        for (int i = 0; i < sorted.length; i++) {
          ps.setLong(i + 1, sorted[i]);
        }
        try (ResultSet rs = ps.executeQuery()) {
          locked = readTotals(rs);
        }
      }
      for (int i = 0; i < windowIds.length; i++) {
        if (!locked.containsKey(windowIds[i])) {
          ids.forget(named.get(i));
          throw new Transactions.ConcurrentChangeException("the totals of window " + named.get(i)
              + " were reset while reserving");
        }
        ids.sawTotals(windowIds[i]);
      }
      try (PreparedStatement ps = connection.prepareStatement(rows.sumHeld(sorted.length))) {
        for (int i = 0; i < sorted.length; i++) {
          ps.setLong(i + 1, sorted[i]);
        }
        ps.setLong(sorted.length + 1, ReservationRows.nanos(now));
        try (ResultSet rs = ps.executeQuery()) {
          held = ReservationRows.readHeld(rs);
        }
      }
    }
    ReserveOutcome outcome = ReserveOutcome.decide(request, states(holds, windowIds, locked, held));
    try (PreparedStatement ps = connection.prepareStatement(rows.purgeExpired)) {
      ps.setLong(1, ReservationRows.nanos(now));
      ps.executeUpdate();
    }
    long expiresNs = ReservationRows.nanos(request.expiresAt());
    try (PreparedStatement ps = connection.prepareStatement(rows.insertReservation)) {
      ps.setString(1, request.id());
      ps.setLong(2, expiresNs);
      if (ps.executeUpdate() == 0) {
        throw openAlready(request);
      }
    }
    if (!outcome.granted()) {
      // Inserted only to find an id that is open; a refused reservation leaves nothing (but the seeds).
      try (PreparedStatement ps = connection.prepareStatement(rows.deleteReservation)) {
        ps.setString(1, request.id());
        ps.executeUpdate();
      }
    } else if (!holds.isEmpty()) {
      try (PreparedStatement ps = connection.prepareStatement(rows.insertHolds(holds.size()))) {
        ReservationRows.bindHolds(ps, 1, request.id(), holds, windowIds, expiresNs);
        ps.executeUpdate();
      }
    }
    return outcome;
  }

  private static List<HoldState> states(List<Hold> holds, long[] windowIds, Map<Long, Counts> locked,
      Map<ReservationRows.Key, OpenReservations> held) {
    List<HoldState> states = new ArrayList<>(holds.size());
    for (int i = 0; i < holds.size(); i++) {
      Hold hold = holds.get(i);
      OpenReservations open = held.getOrDefault(new ReservationRows.Key(windowIds[i], hold.unit()),
          OpenReservations.NONE);
      states.add(new HoldState(hold.measure(locked.get(windowIds[i])), open.amount()));
    }
    return states;
  }

  private static Map<Long, Counts> readTotals(ResultSet rs) throws SQLException {
    Map<Long, Counts> out = new HashMap<>();
    while (rs.next()) {
      out.put(rs.getLong(1), Statements.readCounts(rs, 2));
    }
    return out;
  }

  private static IllegalArgumentException openAlready(ReservationRequest request) {
    return new IllegalArgumentException("reservation " + request.id() + " is open already");
  }

  private static ResultSet nextRows(PreparedStatement ps) throws SQLException {
    return PipelinedResults.nextRows(ps, "a statement of a pipelined reserve");
  }

  private static int nextCount(PreparedStatement ps) throws SQLException {
    return PipelinedResults.nextCount(ps, "a statement of a pipelined reserve");
  }
}
