package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kept totals of budget windows. A window's row is created by the first record that names it,
 * from the ledger's figure for the window (its period and scope as SQL), before that record writes
 * any event; then every record naming it moves it by {@code x = x + ?}, which returns the totals
 * and makes writers of one window serialise on its row (each sees the totals of all earlier ones).
 * Two instances using a window first at once: the second's insert waits for (or conflicts with) the
 * first's, does nothing, and its delta goes onto the first's row, so nothing is counted twice.
 */
final class WindowRows {

  private final Statements sql;
  private final WindowIds ids;

  WindowRows(Statements sql, WindowIds ids) {
    this.sql = sql;
    this.ids = ids;
  }

  /**
   * Makes sure each window has a totals row, creating missing ones from the ledger as it is now;
   * call before the transaction writes events.
   */
  void seed(Connection connection, List<BudgetWindow> windows) throws SQLException {
    for (BudgetWindow window : windows) {
      long id = ids.id(connection, window);
      if (ids.hasTotals(id) || kept(connection, id) != null) {
        continue;
      }
      Counts seed = new LedgerQuery(sql, window.query()).total(connection);
      try (PreparedStatement ps = connection.prepareStatement(sql.insertWindowTotals)) {
        int next = Statements.bindCounts(ps, 1, seed);
        ps.setLong(next, id);
        ps.executeUpdate();
      }
    }
  }

  /**
   * Adds each window's delta to its row (in id order) and returns the totals after.
   *
   * @throws Transactions.ConcurrentChangeException if a row is missing (reset by another writer since
   *     {@link #seed}, or its id was never committed): the transaction is retried
   */
  Map<BudgetWindow, Counts> add(Connection connection, Map<BudgetWindow, Counts> deltas) throws SQLException {
    TreeMap<Long, BudgetWindow> byId = new TreeMap<>();
    for (BudgetWindow window : deltas.keySet()) {
      byId.put(ids.id(connection, window), window);
    }
    Map<BudgetWindow, Counts> totals = new HashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(sql.addToWindow)) {
      for (Map.Entry<Long, BudgetWindow> w : byId.entrySet()) {
        int next = Statements.bindCounts(ps, 1, deltas.get(w.getValue()));
        ps.setLong(next, w.getKey());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            ids.forget(w.getValue());
            throw new Transactions.ConcurrentChangeException("the totals of window " + w.getValue()
                + " were reset while recording");
          }
          totals.put(w.getValue(), Statements.readCounts(rs, 1));
        }
        ids.sawTotals(w.getKey());
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
    try (PreparedStatement ps = connection.prepareStatement(sql.readWindow)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Statements.readCounts(rs, 1) : null;
      }
    }
  }
}
