package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The windows the store keeps totals for (a key row with a scope and a totals row), which every
 * record charges whether it names them or not.
 *
 * <p>Exactness across instances rests on one lock per ledger: every record takes it shared, a
 * transaction that starts keeping a window (seeds its totals from the ledger) takes it exclusive,
 * before anything else in the transaction. So a record either sees the new window (and charges it)
 * or committed before the seed read the ledger (and is in its figure). PostgreSQL: a transaction
 * advisory lock (no row is written); H2: the meta row {@code FOR UPDATE}. A seeding transaction bumps
 * {@code windows_version}, so an instance caches the kept windows of recent periods and checks the
 * version in the transaction that relies on the cache. Key rows are immutable: parsed windows are
 * cached by id.
 */
final class KeptWindows {

  /** A kept window and its id; {@code window} is rebuilt from its key row (its budget name is not kept). */
  record Kept(long id, BudgetWindow window) {}

  /** The meta row as a record read it under the lock. */
  record Meta(Instant retainedFrom, long version) {}

  /** The cached windows: those ending after {@code fromUs}, as of {@code version}. */
  private record Snapshot(long version, long fromUs, List<Kept> windows) {}

  /** How far before the earliest event (or now) the cache reaches. */
  private static final long CACHE_BACK_US = 2L * 24 * 3600 * 1_000_000;
  /** Larger sets (events long past, when many periods have been kept since) are looked up per record. */
  private static final int MAX_CACHED = 1_000;
  /** More parsed windows than this and the parse cache starts over. */
  private static final int MAX_PARSED = 100_000;

  private final Statements sql;
  private final long lockKey;
  private final ConcurrentHashMap<Long, Kept> parsed = new ConcurrentHashMap<>();
  private volatile Snapshot snapshot;

  KeptWindows(Statements sql) {
    this.sql = sql;
    this.lockKey = lockKey(sql.names.meta);
  }

  /** The advisory lock key of one ledger (schema and prefix): 64 bits of SHA-256 of its meta table's name. */
  long lockKey() {
    return lockKey;
  }

  /** Takes the lock (exclusive to start keeping windows) and reads the meta row; first in the transaction. */
  Meta lock(Connection connection, boolean exclusive) throws SQLException {
    String lock = sql.dialect.lockKeptWindows(exclusive);
    if (lock == null) {
      try (PreparedStatement ps = connection.prepareStatement(sql.lockMeta);
          ResultSet rs = ps.executeQuery()) {
        return read(rs);
      }
    }
    try (PreparedStatement ps = connection.prepareStatement(lock + "; " + sql.readMeta)) {
      ps.setLong(1, lockKey);
      ps.execute();
      try (ResultSet rs = PipelinedResults.nextRows(ps, "reading the ledger_meta row after its lock")) {
        return read(rs);
      }
    }
  }

  /** Reads a result of {@link Statements#readMeta}. */
  static Meta read(ResultSet rs) throws SQLException {
    Instant retainedFrom = Retention.read(rs);
    return new Meta(retainedFrom, rs.getLong(3));
  }

  /** Notes in the meta row that this transaction starts keeping windows (call under the exclusive lock). */
  void bumpVersion(Connection connection) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.bumpWindowsVersion)) {
      ps.executeUpdate();
    }
    snapshot = null;
  }

  /**
   * The kept windows, but those with ids in {@code named}, that charge one of {@code events}, as of
   * {@code meta} (read under the lock by this transaction). {@code cacheable}: the transaction
   * started keeping no window, so what it sees is the committed set of that version.
   */
  List<Kept> charging(Connection connection, Meta meta, Collection<TokenUsageEvent> events, Set<Long> named,
      boolean cacheable) throws SQLException {
    if (events.isEmpty()) {
      return List.of();
    }
    long from = Long.MAX_VALUE;
    long until = Long.MIN_VALUE;
    for (TokenUsageEvent e : events) {
      long us = LedgerTime.micros(e.timestamp());
      from = Math.min(from, us);
      until = Math.max(until, us);
    }
    Snapshot cached = snapshot;
    List<Kept> candidates;
    if (cached != null && cached.version == meta.version() && from >= cached.fromUs) {
      candidates = cached.windows;
    } else if (cacheable) {
      // The windows ending after the batch's earliest event (or two days ago, if earlier) and after.
      long cacheFrom = Math.min(from, LedgerTime.micros(Instant.now())) - CACHE_BACK_US;
      candidates = select(connection, cacheFrom, Long.MAX_VALUE);
      if (candidates.size() <= MAX_CACHED) {
        snapshot = new Snapshot(meta.version(), cacheFrom, candidates);
      }
    } else {
      candidates = select(connection, from, until + 1);
    }
    return filter(candidates, events, named);
  }

  /**
   * From the cache alone, for a record that checks {@code version} in its transaction: the kept
   * windows but {@code named} charging {@code event}, or null if the cache cannot tell.
   */
  List<Kept> cachedCharging(TokenUsageEvent event, Set<Long> named, long[] version) {
    Snapshot cached = snapshot;
    if (cached == null || LedgerTime.micros(event.timestamp()) < cached.fromUs) {
      return null;
    }
    version[0] = cached.version;
    return filter(cached.windows, List.of(event), named);
  }

  /** Forgets the cache (a kept window's totals were found gone). */
  void invalidate() {
    snapshot = null;
  }

  private static List<Kept> filter(List<Kept> candidates, Collection<TokenUsageEvent> events, Set<Long> named) {
    List<Kept> out = List.of();
    for (Kept k : candidates) {
      if (named.contains(k.id)) {
        continue;
      }
      for (TokenUsageEvent e : events) {
        if (k.window.charges(e)) {
          out = out.isEmpty() ? new ArrayList<>() : out;
          out.add(k);
          break;
        }
      }
    }
    return out;
  }

  private List<Kept> select(Connection connection, long endAfterUs, long startBeforeUs) throws SQLException {
    List<Kept> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql.keptWindows)) {
      ps.setLong(1, endAfterUs);
      ps.setLong(2, startBeforeUs);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          Kept k = parsed.get(id);
          if (k == null) {
            k = parse(id, rs);
            if (parsed.size() >= MAX_PARSED) {
              parsed.clear();
            }
            parsed.put(id, k);
          }
          out.add(k);
        }
      }
    }
    return out;
  }

  private static Kept parse(long id, ResultSet rs) throws SQLException {
    Instant start = LedgerTime.instant(rs.getLong(2), rs.getInt(3));
    int endNs = rs.getInt(5);
    Instant end = LedgerTime.instant(endNs == 0 ? rs.getLong(4) : rs.getLong(4) - 1, endNs);
    String scope = rs.getString(6);
    try {
      return new Kept(id, new BudgetWindow("kept window " + id, start, end, UsageFilter.fromCanonical(scope)));
    } catch (IllegalArgumentException e) {
      throw new SQLException("ledger_window_keys row " + id + " has a scope that is not a usage filter: " + e.getMessage(),
          e);
    }
  }

  private static long lockKey(String table) {
    return ByteBuffer.wrap(Sha256.of(table)).getLong();
  }
}
