package dev.tokenwatch.persistence.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of the {@code usage_keys} rows, one per (budget, period) and per (budget, period, model),
 * that key the counter rows ({@code usage_counters}: the period's and each model's). Key rows are written once
 * and never changed or deleted, so one store instance caches their ids and the hot path updates
 * counter rows by id alone (on H2 one map per update instead of a row map plus a composite unique
 * index).
 *
 * <p>An id is cached when a {@code SELECT} in some transaction saw its row, which may be a row that
 * transaction inserted itself and then rolled back (or has not committed yet). Such an id matches no
 * counter row, so using it leads to the rare "create the counter row" path, whose {@code INSERT ...
 * SELECT} from the keys table creates nothing for it; the caller then {@link #evict evicts} the id
 * (with the other ids it resolved, which the same rollback may have made stale) and retries the
 * transaction (see {@link Transactions.ConcurrentChangeException}), which resolves them again.
 */
final class UsageKeys {

  /** The model of a period's own key; models are never blank. */
  static final String PERIOD = "";
  /** More cached ids than this (budgets × periods × models) and the cache starts over. */
  private static final int MAX_CACHED = 100_000;

  /** A (budget, period, model) triple; {@link #PERIOD} as the model for the period's own key. */
  record Key(String budget, Instant periodStart, String model) implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      int c = budget.compareTo(other.budget);
      if (c == 0) {
        c = periodStart.compareTo(other.periodStart);
      }
      return c != 0 ? c : model.compareTo(other.model);
    }
  }

  private final Statements sql;
  private final ConcurrentHashMap<Key, Long> ids = new ConcurrentHashMap<>();

  UsageKeys(Statements sql) {
    this.sql = sql;
  }

  /** The id of {@code key}, from the cache or the database, inserting its row if it has none yet. */
  long id(Connection connection, Key key) throws SQLException {
    Long cached = ids.get(key);
    if (cached != null) {
      return cached;
    }
    Long found = select(connection, key);
    if (found == null) {
      try (PreparedStatement ps = connection.prepareStatement(sql.insertKey)) {
        bind(ps, key);
        ps.executeUpdate();
      }
      found = select(connection, key);
      if (found == null) {
        // Another transaction inserted it and has not committed yet (H2 does not wait for it here).
        throw new Transactions.ConcurrentChangeException("a usage key row is being inserted by another transaction");
      }
    }
    if (ids.size() >= MAX_CACHED) {
      ids.clear();
    }
    ids.put(key, found);
    return found;
  }

  /** Forgets the id of {@code key}: its row was not committed (the transaction that inserted it rolled back). */
  void evict(Key key) {
    ids.remove(key);
  }

  private Long select(Connection connection, Key key) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.selectKey)) {
      bind(ps, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private static void bind(PreparedStatement ps, Key key) throws SQLException {
    ps.setString(1, key.budget());
    Statements.setInstant(ps, 2, key.periodStart());
    ps.setString(3, key.model());
  }
}
