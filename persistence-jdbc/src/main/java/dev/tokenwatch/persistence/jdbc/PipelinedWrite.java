package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.reservation.CommitResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The common case on PostgreSQL, one call of one event into windows this instance has written
 * before, in one round trip (pgjdbc sends statements joined by {@code ;} together): takes the kept
 * windows' lock shared, reads the retained start and the kept windows' version, inserts the event,
 * adds it to its rollup row and to the row of each window charging it (named, or kept and cached by
 * {@link KeptWindows}; in id order, returning the totals), assuming the request id is new, the
 * retained start and the version are the ones read last and every window row exists. If any
 * assumption fails (a request id counted before, a drop, reset or new kept window by another
 * writer), the transaction is rolled back and the caller takes the {@link GeneralWrite
 * general path}: so the rare cases cost one round trip more, and the common one costs one. A commit
 * (a record ending a reservation) adds the reservation's delete after the window updates.
 */
final class PipelinedWrite {

  private final Statements sql;
  private final Retention retention;
  private final WindowIds ids;
  private final KeptWindows kept;
  private final ReservationRows reservations;
  /** The pipelined statement per number of windows (times two, plus one for a commit). */
  private final Map<Integer, String> statements = new ConcurrentHashMap<>();

  PipelinedWrite(Statements sql, Retention retention, WindowIds ids, KeptWindows kept,
      ReservationRows reservations) {
    this.sql = sql;
    this.reservations = reservations;
    this.retention = retention;
    this.ids = ids;
    this.kept = kept;
  }

  /**
   * Records {@code call} in one round trip, or returns null (having rolled back whatever it sent)
   * when the general path must do it.
   */
  CommitResult tryRun(Connection connection, RecordPlan.Call call) throws SQLException {
    if (call.size() != 1) {
      return null;
    }
    Instant retainedFrom = retention.last();
    RecordPlan plan = RecordPlan.of(List.of(call), retainedFrom);
    if (plan.inserts().size() != 1) {
      return null;
    }
    TreeMap<Long, BudgetWindow> byId = new TreeMap<>();
    for (BudgetWindow window : plan.windows()) {
      Long id = ids.cached(window);
      if (id == null || !ids.hasTotals(id)) {
        return null;
      }
      byId.put(id, window);
    }
    long[] version = new long[1];
    List<KeptWindows.Kept> charged = kept.cachedCharging(plan.inserts().get(0), byId.keySet(), version);
    if (charged == null) {
      return null;
    }
    Set<BudgetWindow> others = new HashSet<>();
    for (KeptWindows.Kept k : charged) {
      byId.put(k.id(), k.window());
      others.add(k.window());
    }
    RecordPlan.Settled settled = plan.settle(Map.of(), List.copyOf(others));
    Map<BudgetWindow, Counts> deltas = settled.windowDeltas();
    Map.Entry<RollupKey, Counts> rollup = settled.rollupDeltas().entrySet().iterator().next();
    boolean settles = call.reservationId() != null;
    String statement = statements.computeIfAbsent(2 * byId.size() + (settles ? 1 : 0), this::statement);
    Map<BudgetWindow, Counts> totals = new HashMap<>();
    BudgetWindow missing = null;
    KeptWindows.Meta stored;
    int inserted;
    boolean held = false;
    try (PreparedStatement ps = connection.prepareStatement(statement)) {
      ps.setLong(1, kept.lockKey());
      int index = Statements.bindEvent(ps, 2, plan.inserts().get(0));
      Statements.bindRollup(ps, index, rollup.getKey(), rollup.getValue());
      index += Statements.ROLLUP_PARAMETERS;
      for (Map.Entry<Long, BudgetWindow> w : byId.entrySet()) {
        index = Statements.bindCounts(ps, index, deltas.get(w.getValue()));
        ps.setLong(index++, w.getKey());
      }
      if (settles) {
        ps.setString(index, call.reservationId());
      }
      if (!ps.execute() || !ps.getMoreResults()) {
        throw new SQLException("the lock or meta read of a pipelined record returned no rows result");
      }
      try (ResultSet rs = ps.getResultSet()) {
        stored = KeptWindows.read(rs);
      }
      inserted = PipelinedResults.nextCount(ps, "the event insert of a pipelined record");
      PipelinedResults.nextCount(ps, "the rollup update of a pipelined record");
      for (Map.Entry<Long, BudgetWindow> w : byId.entrySet()) {
        try (ResultSet rs = PipelinedResults.nextRows(ps, "a window update of a pipelined record")) {
          if (rs.next()) {
            totals.put(w.getValue(), Statements.readCounts(rs, 1));
          } else if (missing == null) {
            missing = w.getValue();
          }
        }
      }
      if (settles) {
        try (ResultSet rs = PipelinedResults.nextRows(ps, "the reservation delete of a pipelined commit")) {
          held = ReservationRows.readEnded(rs, call.settledAt());
        }
      }
    }
    retention.seen(stored.retainedFrom());
    if (inserted == 1 && missing == null && Objects.equals(stored.retainedFrom(), retainedFrom)
        && stored.version() == version[0]) {
      return new CommitResult(settled.results(totals).get(0), held);
    }
    if (inserted != 0 && inserted != 1) {
      throw new SQLException("inserting an event row reported update count " + inserted + ", expected 1 or 0");
    }
    connection.rollback();
    if (missing != null && others.contains(missing)) {
      kept.invalidate();
    } else if (missing != null) {
      ids.forget(missing);
    }
    return null;
  }

  private String statement(int key) {
    int windows = key / 2;
    StringBuilder s = new StringBuilder(sql.dialect.lockKeptWindows(false)).append("; ").append(sql.readMeta)
        .append("; ").append(sql.insertEvent).append("; ")
        .append(sql.addToRollup);
    for (int i = 0; i < windows; i++) {
      s.append("; ").append(sql.addToWindow);
    }
    if (key % 2 == 1) {
      s.append("; ").append(reservations.endReservation);
    }
    return s.toString();
  }
}
