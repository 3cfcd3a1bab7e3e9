package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The statements on event rows of a record: insert if the request id is new, lock the stored ones, replace. */
final class EventRows {

  private static final String UNIQUE_VIOLATION = "23505";

  private final Statements sql;

  EventRows(Statements sql) {
    this.sql = sql;
  }

  /**
   * Inserts {@code rows} in order, each unless its request id is stored already; returns the request
   * ids that were (their rows are unchanged).
   */
  List<String> insert(Connection connection, List<TokenUsageEvent> rows) throws SQLException {
    if (rows.isEmpty()) {
      return List.of();
    }
    int[] counts = new int[rows.size()];
    if (rows.size() == 1) {
      try (PreparedStatement ps = connection.prepareStatement(sql.insertEvent)) {
        Statements.bindEvent(ps, 1, rows.get(0));
        counts[0] = ps.executeUpdate();
      }
    } else if (sql.multiRowInserts) {
      for (int from = 0; from < rows.size(); from += Statements.INSERT_CHUNK) {
        int to = Math.min(rows.size(), from + Statements.INSERT_CHUNK);
        if (insertRows(connection, rows, from, to)) {
          Arrays.fill(counts, from, to, 1);
        } else {
          insertEachIfAbsent(connection, rows, from, to, counts);
        }
      }
    } else {
      insertEachIfAbsent(connection, rows, 0, rows.size(), counts);
    }
    List<String> stored = new ArrayList<>(0);
    for (int i = 0; i < counts.length; i++) {
      String requestId = rows.get(i).requestId();
      if (counts[i] == 0 && requestId != null) {
        stored.add(requestId);
      } else if (counts[i] != 1) {
        throw new SQLException("inserting an event row reported update count " + counts[i] + ", expected 1"
            + (requestId == null ? "" : " or 0"));
      }
    }
    return stored;
  }

  /**
   * Inserts rows [from, to) with one multi-row statement; false if one of their request ids is stored
   * already (the database undid the statement, and only it).
   */
  private boolean insertRows(Connection connection, List<TokenUsageEvent> rows, int from, int to)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.insertEventRows(to - from))) {
      int index = 1;
      for (int i = from; i < to; i++) {
        index = Statements.bindEvent(ps, index, rows.get(i));
      }
      int count = ps.executeUpdate();
      if (count != to - from) {
        throw new SQLException("inserting " + (to - from) + " event rows reported update count " + count);
      }
      return true;
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return false;
      }
      throw e;
    }
  }

  /** Inserts rows [from, to) one statement each (one JDBC batch), skipping stored request ids. */
  private void insertEachIfAbsent(Connection connection, List<TokenUsageEvent> rows, int from, int to, int[] counts)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.insertEvent)) {
      for (int i = from; i < to; i++) {
        Statements.bindEvent(ps, 1, rows.get(i));
        ps.addBatch();
      }
      int[] batch = ps.executeBatch();
      System.arraycopy(batch, 0, counts, from, batch.length);
    }
  }

  /**
   * Locks the stored rows of {@code requestIds} (in request id order, so lockers never wait in a
   * cycle) and returns their events.
   *
   * @throws Transactions.ConcurrentChangeException if one of them was deleted since its insert
   *     conflicted (a reset or retention in between): the transaction is retried
   */
  Map<String, TokenUsageEvent> lock(Connection connection, Collection<String> requestIds) throws SQLException {
    Map<String, TokenUsageEvent> stored = new HashMap<>();
    List<String> ids = requestIds.stream().sorted().toList();
    for (int from = 0; from < ids.size(); from += Statements.LOCK_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + Statements.LOCK_CHUNK));
      try (PreparedStatement ps = connection.prepareStatement(sql.lockEvents(chunk.size()))) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            TokenUsageEvent e = Statements.readEvent(rs, 1);
            stored.put(e.requestId(), e);
          }
        }
      }
    }
    if (stored.size() != ids.size()) {
      throw new Transactions.ConcurrentChangeException(
          "the stored event of a request id was deleted (reset or retention) while recording");
    }
    return stored;
  }

  /** Rewrites the stored rows of these request ids with their replacing records (and new ids, the latest writes). */
  void replace(Connection connection, Map<String, TokenUsageEvent> replacements) throws SQLException {
    if (replacements.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(sql.replaceEvent)) {
      for (Map.Entry<String, TokenUsageEvent> r : replacements.entrySet()) {
        int next = Statements.bindEventValues(ps, 1, r.getValue());
        ps.setString(next, r.getKey());
        ps.addBatch();
      }
      for (int count : ps.executeBatch()) {
        if (count != 1) {
          throw new SQLException("replacing a locked event row reported update count " + count + ", expected 1");
        }
      }
    }
  }
}
