package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.ledger.BudgetWindow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of the {@code ledger_window_keys} rows, one per {@link BudgetWindow#key()} (stored as its
 * SHA-256), that key the windows' kept totals and claims. Key rows are written once and never changed
 * or deleted, so a store instance caches their ids; it also remembers which windows it saw a totals
 * row for, so that a record of a known window goes straight to {@code x = x + ?}.
 *
 * <p>An id is cached when a {@code SELECT} saw its row, which may be a row its own transaction
 * inserted and then rolled back. Such an id matches no key row, so the totals row that {@code INSERT
 * ... SELECT} from the keys table would create for it is not created, the update that follows finds
 * no row, and the caller {@link #forget forgets} the window and retries (see {@link
 * Transactions.ConcurrentChangeException}), which resolves it again.
 */
final class WindowIds {

  /** More cached ids than this and the cache starts over. */
  private static final int MAX_CACHED = 100_000;

  private final Statements sql;
  private final ConcurrentHashMap<String, Long> ids = new ConcurrentHashMap<>();
  private final Set<Long> withTotals = ConcurrentHashMap.newKeySet();

  WindowIds(Statements sql) {
    this.sql = sql;
  }

  /** The id of {@code window}, inserting its key row if it has none yet. */
  long id(Connection connection, BudgetWindow window) throws SQLException {
    Long cached = ids.get(window.key());
    if (cached != null) {
      return cached;
    }
    String hash = hash(window);
    KeyRow found = select(connection, hash);
    if (found == null) {
      try (PreparedStatement ps = connection.prepareStatement(sql.insertWindowKey)) {
        ps.setString(1, hash);
        ps.setLong(2, LedgerTime.micros(window.start()));
        ps.setLong(3, ceilMicros(window));
        ps.setString(4, window.scope().canonical());
        ps.setInt(5, LedgerTime.nanosRest(window.start()));
        ps.setInt(6, LedgerTime.nanosRest(window.end()));
        ps.executeUpdate();
      }
      found = select(connection, hash);
      if (found == null) {
        // Another transaction inserted it and has not committed yet (H2 does not wait for it here).
        throw new Transactions.ConcurrentChangeException("a window key row is being inserted by another transaction");
      }
    }
    if (!found.scopeKnown) {
      recordScope(connection, window, found.id);
    }
    remember(window, found.id);
    return found.id;
  }

  /**
   * A window kept by the format before costs (V1) has no scope recorded and was maintained only by
   * the records naming it: its scope is recorded now and its totals dropped, to be derived from the
   * ledger again (exactly) by the next record naming it, which keeps it from then on.
   */
  private void recordScope(Connection connection, BudgetWindow window, long id) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.recordWindowScope)) {
      ps.setString(1, window.scope().canonical());
      ps.setInt(2, LedgerTime.nanosRest(window.start()));
      ps.setInt(3, LedgerTime.nanosRest(window.end()));
      ps.setLong(4, id);
      if (ps.executeUpdate() == 0) {
        return;
      }
    }
    try (PreparedStatement ps = connection.prepareStatement(sql.deleteWindowTotals)) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
    withTotals.remove(id);
  }

  private record KeyRow(long id, boolean scopeKnown) {}

  /** The cached id of {@code window}, or null. */
  Long cached(BudgetWindow window) {
    return ids.get(window.key());
  }

  /** The id of {@code window} if its key row exists, else null (nothing is written). */
  Long find(Connection connection, BudgetWindow window) throws SQLException {
    Long cached = ids.get(window.key());
    if (cached != null) {
      return cached;
    }
    KeyRow found = select(connection, hash(window));
    if (found == null) {
      return null;
    }
    if (found.scopeKnown) {
      remember(window, found.id);
    }
    return found.id;
  }

  private void remember(BudgetWindow window, long id) {
    if (ids.size() >= MAX_CACHED) {
      ids.clear();
      withTotals.clear();
    }
    ids.put(window.key(), id);
  }

  /** Whether this instance saw a totals row of window {@code id} (it may have been reset since). */
  boolean hasTotals(long id) {
    return withTotals.contains(id);
  }

  /** Notes that window {@code id} has a totals row. */
  void sawTotals(long id) {
    withTotals.add(id);
  }

  /** Forgets everything known about {@code window}: its id may be stale, its totals row gone. */
  void forget(BudgetWindow window) {
    Long id = ids.remove(window.key());
    if (id != null) {
      withTotals.remove(id);
    }
  }

  /** Forgets which windows have totals rows (a reset deleted some). */
  void forgetTotals() {
    withTotals.clear();
  }

  private KeyRow select(Connection connection, String hash) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.selectWindowId)) {
      ps.setString(1, hash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new KeyRow(rs.getLong(1), rs.getString(2) != null) : null;
      }
    }
  }

  /** The end of the window in whole microseconds, rounded up (overlap tests err on the side of overlapping). */
  static long ceilMicros(BudgetWindow window) {
    long micros = LedgerTime.micros(window.end());
    return LedgerTime.nanosRest(window.end()) == 0 ? micros : micros + 1;
  }

  static String hash(BudgetWindow window) {
    return HexFormat.of().formatHex(Sha256.of(window.key()));
  }
}
