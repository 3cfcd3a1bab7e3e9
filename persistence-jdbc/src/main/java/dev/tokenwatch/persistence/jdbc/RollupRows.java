package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.Counts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
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
  void add(Connection connection, Map<RecordPlan.RollupKey, Counts> deltas) throws SQLException {
    if (deltas.isEmpty()) {
      return;
    }
    boolean anyEmptied = false;
    try (PreparedStatement ps = connection.prepareStatement(sql.addToRollup)) {
      if (deltas.size() == 1) {
        Map.Entry<RecordPlan.RollupKey, Counts> only = deltas.entrySet().iterator().next();
        Statements.bindRollup(ps, 1, only.getKey(), only.getValue());
        ps.executeUpdate();
        anyEmptied = only.getValue().calls() < 0;
      } else {
        for (Map.Entry<RecordPlan.RollupKey, Counts> d : deltas.entrySet()) {
          Statements.bindRollup(ps, 1, d.getKey(), d.getValue());
          ps.addBatch();
          anyEmptied |= d.getValue().calls() < 0;
        }
        ps.executeBatch();
      }
    }
    if (anyEmptied) {
      deleteEmptied(connection, deltas);
    }
  }

  private void deleteEmptied(Connection connection, Map<RecordPlan.RollupKey, Counts> deltas) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.deleteEmptyRollup)) {
      for (Map.Entry<RecordPlan.RollupKey, Counts> d : deltas.entrySet()) {
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
    TreeMap<RecordPlan.RollupKey, Counts> deltas = new TreeMap<>();
    for (TokenUsageEvent e : removed) {
      deltas.merge(RecordPlan.RollupKey.of(e), Counts.of(e).negated(), Counts::plus);
    }
    add(connection, deltas);
  }
}
