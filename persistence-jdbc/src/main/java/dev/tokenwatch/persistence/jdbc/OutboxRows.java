package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.outbox.AlertText;
import dev.tokenwatch.domain.outbox.PendingAlert;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows of the alert outbox ({@code ledger_alert_outbox}, one per alert and sink) and their
 * statements, each run on the caller's connection and transaction. A row holds the fields of a
 * {@link PendingAlert}, whose rules apply: a take is {@link PendingAlert#taken}, and the one-statement
 * updates of a retry and a give-up set what {@link PendingAlert#retryAt} and {@link
 * PendingAlert#gaveUp} change. Takers lock the due rows they select and update them before they
 * commit ({@link Dialect#lockDueAlerts}), so concurrent takers in any number of processes get
 * disjoint entries.
 */
final class OutboxRows {

  /** Longest sink name and alert id (their columns; both are the key). */
  static final int MAX_SINK = 500;
  static final int MAX_ALERT_ID = 200;
  /** Longest problem kept (its column): a longer one is cut, so that recording a failure never fails for its text. */
  static final int MAX_PROBLEM = 10_000;

  private static final String COLUMNS = "alert_id, sink, alert_text, queued_us, queued_ns, attempts, "
      + "next_attempt_us, next_attempt_ns, last_problem, given_up";
  /** Oldest first, as {@link dev.tokenwatch.domain.outbox.OutboxBook} orders. */
  private static final String OLDEST_FIRST = " ORDER BY queued_us, queued_ns, alert_id, sink";
  private static final String BY_KEY = " WHERE alert_id = ? AND sink = ?";

  private final Statements sql;
  private final String insert;
  private final String overwrite;
  private final String markTaken;
  private final String delete;
  private final String retry;
  private final String giveUp;
  private final String all;
  private final Map<Integer, String> due = new ConcurrentHashMap<>();

  OutboxRows(Statements sql) {
    this.sql = sql;
    String table = sql.names.outbox;
    insert = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (" + Dialect.placeholders(10)
        + ") ON CONFLICT DO NOTHING";
    overwrite = "UPDATE " + table + " SET alert_text = ?, queued_us = ?, queued_ns = ?, attempts = ?, "
        + "next_attempt_us = ?, next_attempt_ns = ?, last_problem = ?, given_up = ?" + BY_KEY;
    markTaken = "UPDATE " + table + " SET attempts = ?, next_attempt_us = ?, next_attempt_ns = ?" + BY_KEY;
    delete = "DELETE FROM " + table + BY_KEY;
    retry = "UPDATE " + table + " SET next_attempt_us = ?, next_attempt_ns = ?, last_problem = ?, given_up = FALSE"
        + BY_KEY;
    giveUp = "UPDATE " + table + " SET last_problem = ?, given_up = TRUE" + BY_KEY;
    all = "SELECT " + COLUMNS + " FROM " + table + OLDEST_FIRST;
  }

  /** The due rows of {@code count} sinks (then now as micros, micros, nanos, then the limit), locked. */
  String due(int count) {
    return due.computeIfAbsent(count, n -> "SELECT " + COLUMNS + " FROM " + sql.names.outbox
        + " WHERE given_up = FALSE AND sink IN (" + Dialect.placeholders(n) + ") AND (next_attempt_us < ? OR "
        + "(next_attempt_us = ? AND next_attempt_ns <= ?))" + OLDEST_FIRST + " LIMIT ?" + sql.dialect.lockDueAlerts());
  }

  /**
   * Queues the entries of {@code claim} (in the claim's transaction); an entry of the same alert and
   * sink is replaced, as in every store.
   *
   * @throws IllegalArgumentException if a sink name or the alert id is longer than its column
   */
  void queue(Connection connection, AlertClaim claim) throws SQLException {
    List<PendingAlert> entries = claim.entries();
    if (entries.isEmpty()) {
      return;
    }
    requireFits("alert id", claim.alert().id(), MAX_ALERT_ID);
    for (PendingAlert entry : entries) {
      requireFits("sink name", entry.sink(), MAX_SINK);
    }
    String text = AlertText.encode(claim.alert());
    int[] inserted;
    try (PreparedStatement ps = connection.prepareStatement(insert)) {
      for (PendingAlert entry : entries) {
        ps.setString(1, entry.alertId());
        ps.setString(2, entry.sink());
        bindFields(ps, 3, entry, text);
        ps.addBatch();
      }
      inserted = ps.executeBatch();
    }
    for (int i = 0; i < entries.size(); i++) {
      if (inserted[i] == 0) {
        PendingAlert entry = entries.get(i);
        try (PreparedStatement ps = connection.prepareStatement(overwrite)) {
          int next = bindFields(ps, 1, entry, text);
          ps.setString(next, entry.alertId());
          ps.setString(next + 1, entry.sink());
          ps.executeUpdate();
        }
      }
    }
  }

  /** See {@link dev.tokenwatch.domain.port.AlertOutbox#takeDue}; {@code sinks} not empty, {@code max} positive. */
  List<PendingAlert> takeDue(Connection connection, Set<String> sinks, Instant now, Instant leaseUntil, int max)
      throws SQLException {
    if (sql.dialect.serialisesOutboxTakers()) {
      try (PreparedStatement ps = connection.prepareStatement(sql.lockMeta); ResultSet rs = ps.executeQuery()) {
        Retention.read(rs);
      }
    }
    List<PendingAlert> taken = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(due(sinks.size()))) {
      int index = 1;
      for (String sink : sinks) {
        ps.setString(index++, sink);
      }
      long nowUs = LedgerTime.micros(now);
      ps.setLong(index++, nowUs);
      ps.setLong(index++, nowUs);
      ps.setInt(index++, LedgerTime.nanosRest(now));
      ps.setInt(index, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          taken.add(read(rs).taken(leaseUntil));
        }
      }
    }
    if (!taken.isEmpty()) {
      try (PreparedStatement ps = connection.prepareStatement(markTaken)) {
        for (PendingAlert entry : taken) {
          ps.setInt(1, entry.attempts());
          ps.setLong(2, LedgerTime.micros(entry.nextAttemptAt()));
          ps.setInt(3, LedgerTime.nanosRest(entry.nextAttemptAt()));
          ps.setString(4, entry.alertId());
          ps.setString(5, entry.sink());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    return taken;
  }

  /** Deletes the entry; the number of rows deleted (0 or 1). */
  int delivered(Connection connection, String alertId, String sink) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(delete)) {
      ps.setString(1, alertId);
      ps.setString(2, sink);
      return ps.executeUpdate();
    }
  }

  /** A failed attempt, due again at {@code nextAttempt}; the number of rows changed. */
  int retryAt(Connection connection, String alertId, String sink, Instant nextAttempt, String problem)
      throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(retry)) {
      ps.setLong(1, LedgerTime.micros(nextAttempt));
      ps.setInt(2, LedgerTime.nanosRest(nextAttempt));
      ps.setString(3, kept(problem));
      ps.setString(4, alertId);
      ps.setString(5, sink);
      return ps.executeUpdate();
    }
  }

  /** Gives the entry up; the number of rows changed. */
  int giveUp(Connection connection, String alertId, String sink, String problem) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(giveUp)) {
      ps.setString(1, kept(problem));
      ps.setString(2, alertId);
      ps.setString(3, sink);
      return ps.executeUpdate();
    }
  }

  /** Every entry, oldest first. */
  List<PendingAlert> undelivered(Connection connection) throws SQLException {
    List<PendingAlert> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(all); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(read(rs));
      }
    }
    return out;
  }

  /** {@code problem} as kept: cut to {@link #MAX_PROBLEM} characters (code points), the cut marked. */
  static String kept(String problem) {
    if (problem.length() <= MAX_PROBLEM || problem.codePointCount(0, problem.length()) <= MAX_PROBLEM) {
      return problem;
    }
    return problem.substring(0, problem.offsetByCodePoints(0, MAX_PROBLEM - 1)) + "…";
  }

  /** Binds the columns after the key, from {@code index} on; returns the next index. */
  private static int bindFields(PreparedStatement ps, int index, PendingAlert entry, String text) throws SQLException {
    ps.setString(index++, text);
    ps.setLong(index++, LedgerTime.micros(entry.queuedAt()));
    ps.setInt(index++, LedgerTime.nanosRest(entry.queuedAt()));
    ps.setInt(index++, entry.attempts());
    ps.setLong(index++, LedgerTime.micros(entry.nextAttemptAt()));
    ps.setInt(index++, LedgerTime.nanosRest(entry.nextAttemptAt()));
    ps.setString(index++, kept(entry.lastProblem()));
    ps.setBoolean(index++, entry.givenUp());
    return index;
  }

  private static PendingAlert read(ResultSet rs) throws SQLException {
    String alertId = rs.getString(1);
    String sink = rs.getString(2);
    Alert alert;
    try {
      alert = AlertText.decode(rs.getString(3));
    } catch (IllegalArgumentException e) {
      throw new JdbcUsageStoreException("the alert outbox entry of alert " + alertId + " for sink '" + sink
          + "' is unreadable: " + e.getMessage(), e);
    }
    if (!alert.id().equals(alertId)) {
      throw new JdbcUsageStoreException("the alert outbox entry of alert " + alertId + " for sink '" + sink
          + "' holds another alert (" + alert.id() + ")");
    }
    return new PendingAlert(sink, alert, LedgerTime.instant(rs.getLong(4), rs.getInt(5)), rs.getInt(6),
        LedgerTime.instant(rs.getLong(7), rs.getInt(8)), rs.getString(9), rs.getBoolean(10));
  }

  private static void requireFits(String what, String value, int max) {
    if (value.codePointCount(0, value.length()) > max) {
      throw new IllegalArgumentException(what + " must be at most " + max + " characters to be kept in the alert "
          + "outbox, got " + value.codePointCount(0, value.length()) + ": '" + value.substring(0, 40) + "...'");
    }
  }
}
