package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.Counts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Moves the 15-minute rollup rows by deltas, creating rows on first use, in key order (so writers
 * never wait on each other in a cycle); rows whose calls fall to zero (the last event left them
 * through a replacement, reset or retention) are deleted.
 */
final class RollupRows {

  private final Statements sql;

  RollupRows(Statements sql) {
    this.sql = sql;
  }

  /** Adds {@code deltas} (ordered by key) to their rows. */
  void add(Connection connection, Map<RollupKey, Counts> deltas) throws SQLException {
    if (deltas.isEmpty()) {
      return;
    }
    if (sql.addToRollup != null) {
      upsert(connection, deltas);
    } else {
      List<Map.Entry<RollupKey, Counts>> missing = update(connection, new ArrayList<>(deltas.entrySet()));
      if (!missing.isEmpty()) {
        insertMissing(connection, missing);
      }
    }
    for (Counts delta : deltas.values()) {
      if (delta.calls() < 0) {
        deleteEmptied(connection, deltas);
        return;
      }
    }
  }

  private void upsert(Connection connection, Map<RollupKey, Counts> deltas) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.addToRollup)) {
      if (deltas.size() == 1) {
        Map.Entry<RollupKey, Counts> only = deltas.entrySet().iterator().next();
        Statements.bindRollup(ps, 1, only.getKey(), only.getValue());
        ps.executeUpdate();
        return;
      }
      for (Map.Entry<RollupKey, Counts> d : deltas.entrySet()) {
        Statements.bindRollup(ps, 1, d.getKey(), d.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Updates the rows of {@code deltas}; returns the entries whose row does not exist (yet). */
  private List<Map.Entry<RollupKey, Counts>> update(Connection connection,
      List<Map.Entry<RollupKey, Counts>> deltas) throws SQLException {
    List<Map.Entry<RollupKey, Counts>> missing = new ArrayList<>(0);
    try (PreparedStatement ps = connection.prepareStatement(sql.updateRollup)) {
      if (deltas.size() == 1) {
        bindUpdate(ps, deltas.get(0));
        if (ps.executeUpdate() == 0) {
          missing.add(deltas.get(0));
        }
        return missing;
      }
      for (Map.Entry<RollupKey, Counts> d : deltas) {
        bindUpdate(ps, d);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          missing.add(deltas.get(i));
        }
      }
    }
    return missing;
  }

  private static void bindUpdate(PreparedStatement ps, Map.Entry<RollupKey, Counts> d) throws SQLException {
    int next = Statements.bindCounts(ps, 1, d.getValue());
    ps.setLong(next++, d.getKey().bucket());
    ps.setLong(next++, d.getKey().dimensions().high());
    ps.setLong(next, d.getKey().dimensions().low());
  }

  /** Creates the missing rows; one created meanwhile by another writer is updated instead. */
  private void insertMissing(Connection connection, List<Map.Entry<RollupKey, Counts>> missing)
      throws SQLException {
    List<Map.Entry<RollupKey, Counts>> lostRace = new ArrayList<>(0);
    try (PreparedStatement ps = connection.prepareStatement(sql.insertRollup)) {
      for (Map.Entry<RollupKey, Counts> d : missing) {
        Statements.bindRollup(ps, 1, d.getKey(), d.getValue());
        if (ps.executeUpdate() == 0) {
          lostRace.add(d);
        }
      }
    }
    if (!lostRace.isEmpty() && !update(connection, lostRace).isEmpty()) {
      throw new Transactions.ConcurrentChangeException("a rollup row is being created by another transaction");
    }
  }

  private void deleteEmptied(Connection connection, Map<RollupKey, Counts> deltas) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.deleteEmptyRollup)) {
      for (Map.Entry<RollupKey, Counts> d : deltas.entrySet()) {
        if (d.getValue().calls() < 0) {
          ps.setLong(1, d.getKey().bucket());
          ps.setLong(2, d.getKey().dimensions().high());
          ps.setLong(3, d.getKey().dimensions().low());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** Takes {@code removed} events (deleted from the ledger) out of their rows. */
  void subtract(Connection connection, Collection<TokenUsageEvent> removed) throws SQLException {
    TreeMap<RollupKey, Counts> deltas = new TreeMap<>();
    for (TokenUsageEvent e : removed) {
      deltas.merge(RollupKey.of(e), Counts.of(e).negated(), Counts::plus);
    }
    add(connection, deltas);
  }
}
