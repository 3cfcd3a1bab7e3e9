package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.outbox.AlertClaim;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Alert thresholds claimed per window. Claims of one window serialise on its key row ({@code SELECT
 * ... FOR UPDATE}; key rows are never deleted), so "no claim at or above this one yet" stays true
 * until the claim commits: exactly one caller wins each threshold, and claims never step down. A
 * won claim queues its alert in the outbox in the same transaction ({@link OutboxRows#queue}).
 * {@code claimThreshold} is one write transaction (as durable as a record), {@code claimedThresholds}
 * one read.
 */
final class Claims {

  private final Statements sql;
  private final Transactions transactions;
  private final WindowIds ids;
  private final OutboxRows outbox;

  Claims(Statements sql, Transactions transactions, WindowIds ids, OutboxRows outbox) {
    this.sql = sql;
    this.transactions = transactions;
    this.ids = ids;
    this.outbox = outbox;
  }

  /** See {@link dev.tokenwatch.domain.port.UsageStore#claimThreshold(BudgetWindow, double, AlertClaim)}. */
  boolean claim(BudgetWindow window, double threshold, AlertClaim claim) {
    Objects.requireNonNull(window, "window");
    if (Double.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold must be a number, got NaN");
    }
    return transactions.write("claiming threshold " + threshold + " of " + window,
        connection -> claim(connection, window, threshold, claim));
  }

  /** See {@link dev.tokenwatch.domain.port.UsageStore#claimedThresholds}. */
  SortedSet<Double> claimed(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    return transactions.run("reading the claimed thresholds of " + window, connection -> claimed(connection, window));
  }

  /** Claims {@code threshold} in {@code window}; if won, queues {@code claim} (null: nothing). */
  private boolean claim(Connection connection, BudgetWindow window, double threshold, AlertClaim claim)
      throws SQLException {
    long id = ids.id(connection, window);
    try (PreparedStatement ps = connection.prepareStatement(sql.lockWindowKey)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          // The cached id's row was never committed (its insert rolled back).
          ids.forget(window);
          throw new Transactions.ConcurrentChangeException("a cached window id has no key row");
        }
      }
    }
    try (PreparedStatement ps = connection.prepareStatement(sql.highestClaim)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        double highest = rs.getDouble(1);
        if (!rs.wasNull() && highest >= threshold) {
          return false;
        }
      }
    }
    try (PreparedStatement ps = connection.prepareStatement(sql.insertClaim)) {
      ps.setLong(1, id);
      ps.setDouble(2, threshold);
      ps.setLong(3, LedgerTime.micros(Instant.now()));
      ps.executeUpdate();
    }
    if (claim != null) {
      outbox.queue(connection, claim);
    }
    return true;
  }

  private SortedSet<Double> claimed(Connection connection, BudgetWindow window) throws SQLException {
    Long id = ids.find(connection, window);
    if (id == null) {
      return Collections.emptySortedSet();
    }
    TreeSet<Double> claimed = new TreeSet<>();
    try (PreparedStatement ps = connection.prepareStatement(sql.claimedThresholds)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          claimed.add(rs.getDouble(1));
        }
      }
    }
    return Collections.unmodifiableSortedSet(claimed);
  }

  /** Deletes the claims of {@code window}. */
  void delete(Connection connection, BudgetWindow window) throws SQLException {
    Long id = ids.find(connection, window);
    if (id == null) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(sql.deleteClaims)) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
  }
}
