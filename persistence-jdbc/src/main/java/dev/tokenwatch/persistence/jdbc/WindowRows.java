package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kept totals of budget windows. A window's row is created by the first record that names it,
 * from the ledger's figure for the window (its period and scope as SQL), before that record writes
 * any event; then every record naming it moves it by {@code x = x + ?}, which returns the totals
 * and makes writers of one window serialise on its row (each sees the totals of all earlier ones).
 * Two instances using a window first at once: the second's insert waits for (or conflicts with) the
 * first's, does nothing, and its delta goes onto the first's row, so nothing is counted twice. Once
 * kept, a window is charged by every record, named or not ({@link KeptWindows}).
 */
final class WindowRows {

  private final Statements sql;
  private final WindowIds ids;

  WindowRows(Statements sql, WindowIds ids) {
    this.sql = sql;
    this.ids = ids;
  }

  /** Whether one of {@code windows} may have no totals row yet (the record must then take the exclusive lock). */
  boolean mayNeedSeed(List<BudgetWindow> windows) {
    for (BudgetWindow window : windows) {
      Long id = ids.cached(window);
      if (id == null || !ids.hasTotals(id)) {
        return true;
      }
    }
    return false;
  }

  /** The cached ids of {@code windows}, all cached (see {@link #mayNeedSeed}). */
  Set<Long> cachedIds(List<BudgetWindow> windows) {
    Set<Long> out = new HashSet<>();
    for (BudgetWindow window : windows) {
      out.add(ids.cached(window));
    }
    return out;
  }

  /**
   * Makes sure each window has a totals row, creating missing ones from the ledger as it is now
   * (under the exclusive lock of {@link KeptWindows}, which this notes in the meta row); call before
   * the transaction writes events. Returns the windows' ids.
   */
  Set<Long> seed(Connection connection, List<BudgetWindow> windows, KeptWindows kept) throws SQLException {
    Set<Long> seeded = new HashSet<>();
    boolean bumped = false;
    for (BudgetWindow window : windows) {
      long id = ids.id(connection, window);
      seeded.add(id);
      if (ids.hasTotals(id) || kept(connection, id) != null) {
        continue;
      }
      if (!bumped) {
        kept.bumpVersion(connection);
        bumped = true;
      }
      Counts seed = new LedgerQuery(sql, window.query()).total(connection);
      try (PreparedStatement ps = connection.prepareStatement(sql.insertWindowTotals)) {
        int next = Statements.bindCounts(ps, 1, seed);
        ps.setLong(next, id);
        ps.executeUpdate();
      }
    }
    return seeded;
  }

  /**
   * Adds each window's delta to its row (all in id order, the lock order of every writer) and
   * returns the totals after of the named ones. A kept window no call names is updated only if
   * charged, and skipped if its row is gone (reset meanwhile: no longer kept).
   *
   * @param keptIds the ids of the windows in {@code deltas} that no call names
   * @throws Transactions.ConcurrentChangeException if a named window's row is missing (reset by
   *     another writer since {@link #seed}, or its id was never committed): the transaction is retried
   */
  Map<BudgetWindow, Counts> add(Connection connection, Map<BudgetWindow, Counts> deltas,
      Map<BudgetWindow, Long> keptIds, KeptWindows kept) throws SQLException {
    TreeMap<Long, BudgetWindow> byId = new TreeMap<>();
    for (Map.Entry<BudgetWindow, Counts> d : deltas.entrySet()) {
      Long keptId = keptIds.get(d.getKey());
      if (keptId == null) {
        byId.put(ids.id(connection, d.getKey()), d.getKey());
      } else if (!d.getValue().isZero()) {
        byId.put(keptId, d.getKey());
      }
    }
    Map<BudgetWindow, Counts> totals = new HashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(sql.addToWindow)) {
      for (Map.Entry<Long, BudgetWindow> w : byId.entrySet()) {
        int next = Statements.bindCounts(ps, 1, deltas.get(w.getValue()));
        ps.setLong(next, w.getKey());
        boolean named = !keptIds.containsKey(w.getValue());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            if (!named) {
              kept.invalidate();
              continue;
            }
            ids.forget(w.getValue());
            throw new Transactions.ConcurrentChangeException("the totals of window " + w.getValue()
                + " were reset while recording");
          }
          if (named) {
            totals.put(w.getValue(), Statements.readCounts(rs, 1));
          }
        }
        if (named) {
          ids.sawTotals(w.getKey());
        }
      }
    }
    return totals;
  }

  /** The kept totals of {@code window}, or the ledger's figure if none are kept. */
  Counts read(Connection connection, BudgetWindow window) throws SQLException {
    Long id = ids.find(connection, window);
    Counts kept = id == null ? null : kept(connection, id);
    return kept != null ? kept : new LedgerQuery(sql, window.query()).total(connection);
  }

  /** Whether totals are kept for {@code window}. */
  boolean keeps(Connection connection, BudgetWindow window) throws SQLException {
    Long id = ids.find(connection, window);
    return id != null && kept(connection, id) != null;
  }

  private Counts kept(Connection connection, long id) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.readKeptWindow)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Statements.readCounts(rs, 1) : null;
      }
    }
  }
}
