package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.Counts;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** The fixed SQL statements of the store, built once from the validated names and the dialect. */
final class Statements {

  /** Largest number of request ids locked by one {@code SELECT ... FOR UPDATE}. */
  static final int LOCK_CHUNK = 200;
  /** Largest number of event rows in one multi-row {@code INSERT} (H2). */
  static final int INSERT_CHUNK = 100;

  /** The columns of an event row after its id, in the order {@link #bindEvent} binds them. */
  static final String EVENT_COLUMNS = "request_id, ts_us, ts_ns, bucket, model, project, session, tags, "
      + "input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, total_tokens, cost_nano_usd";
  /** Number of {@link #EVENT_COLUMNS}. */
  static final int EVENT_COLUMN_COUNT = 14;
  /** The counters of rollups and window totals, in {@link Counts}' order. */
  static final String[] COUNTERS = {"input_tokens", "output_tokens", "cache_creation_tokens", "cache_read_tokens",
      "total_tokens", "calls", "cost_nano_usd", "unpriced_calls", "unpriced_tokens"};
  static final String COUNTER_COLUMNS = String.join(", ", COUNTERS);
  /** {@code x = x + ?} for each of the {@link #COUNTERS}: how rollup rows and window totals move. */
  private static final String ADD_TO_COUNTERS = addToEach(COUNTERS);
  /** The key of a rollup row. */
  private static final String ROLLUP_KEY = "bucket, dims_hi, dims_lo";
  private static final String BY_ROLLUP_KEY = " WHERE bucket = ? AND dims_hi = ? AND dims_lo = ?";

  private static final SortedMap<String, String> NO_TAGS = Collections.unmodifiableSortedMap(new TreeMap<>());

  final SqlNames names;
  final Dialect dialect;
  final String insertEvent;
  final String replaceEvent;
  /** PostgreSQL: the upsert of a rollup row; null on H2, which uses {@link #updateRollup} and {@link #insertRollup}. */
  final String addToRollup;
  final String updateRollup;
  final String insertRollup;
  final String deleteEmptyRollup;
  /** The retained start and the version of the set of kept windows (see {@link Retention#read(ResultSet)}). */
  final String readMeta;
  /** {@link #readMeta}, locking the meta row. */
  final String lockMeta;
  final String bumpWindowsVersion;
  final String setRetention;
  final String selectWindowId;
  final String insertWindowKey;
  final String recordWindowScope;
  final String deleteWindowTotals;
  /** The kept windows with a recorded scope ending after ? and starting before ?. */
  final String keptWindows;
  final String readKeptWindow;
  final String insertWindowTotals;
  final String addToWindow;
  final String lockWindowKey;
  final String highestClaim;
  final String insertClaim;
  final String claimedThresholds;
  final String deleteClaims;
  final String deleteOverlappingTotals;
  final String probeTables;
  /** Whether batches insert events with multi-row statements ({@link #insertEventRows}). */
  final boolean multiRowInserts;
  private final String insertRowsPrefix;
  private final String insertRowValues;
  private final String insertFullChunk;
  private final String lockEventsPrefix;

  Statements(SqlNames names, Dialect dialect) {
    this.names = names;
    this.dialect = dialect;
    String nextEvent = dialect.nextValue(names.eventSequence);
    insertRowsPrefix = "INSERT INTO " + names.events + " (id, " + EVENT_COLUMNS + ") VALUES ";
    insertRowValues = "(" + nextEvent + ", " + Dialect.placeholders(EVENT_COLUMN_COUNT) + ")";
    insertEvent = insertRowsPrefix + insertRowValues + " ON CONFLICT DO NOTHING";
    multiRowInserts = !dialect.pipelinesStatements();
    insertFullChunk = multiRowInserts ? buildInsertRows(INSERT_CHUNK) : null;
    replaceEvent = "UPDATE " + names.events + " SET id = " + nextEvent + ", ts_us = ?, ts_ns = ?, bucket = ?, "
        + "model = ?, project = ?, session = ?, tags = ?, input_tokens = ?, output_tokens = ?, "
        + "cache_creation_tokens = ?, cache_read_tokens = ?, total_tokens = ?, cost_nano_usd = ? WHERE request_id = ?";
    lockEventsPrefix = "SELECT " + EVENT_COLUMNS + " FROM " + names.events + " WHERE request_id IN (";
    // The parameters of bindRollup, in its order.
    String insertRollupRow = "INSERT INTO " + names.rollup + " (" + ROLLUP_KEY + ", model, project, session, tags, "
        + COUNTER_COLUMNS + ") VALUES (" + Dialect.placeholders(ROLLUP_PARAMETERS) + ")";
    addToRollup = dialect.addToRollup(insertRollupRow, names.rollup, ROLLUP_KEY, COUNTERS);
    updateRollup = "UPDATE " + names.rollup + " SET " + ADD_TO_COUNTERS + BY_ROLLUP_KEY;
    insertRollup = insertRollupRow + " ON CONFLICT DO NOTHING";
    deleteEmptyRollup = "DELETE FROM " + names.rollup + BY_ROLLUP_KEY + " AND calls = 0";
    readMeta = "SELECT retained_from_us, retained_from_ns, windows_version FROM " + names.meta + " WHERE id = 1";
    lockMeta = readMeta + " FOR UPDATE";
    bumpWindowsVersion = "UPDATE " + names.meta + " SET windows_version = windows_version + 1 WHERE id = 1";
    setRetention = "UPDATE " + names.meta + " SET retained_from_us = ?, retained_from_ns = ? WHERE id = 1";
    selectWindowId = "SELECT id, scope FROM " + names.windowKeys + " WHERE key_hash = ?";
    insertWindowKey = "INSERT INTO " + names.windowKeys + " (id, key_hash, start_us, end_us, scope, start_ns, end_ns) "
        + "VALUES (" + dialect.nextValue(names.windowSequence) + ", ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    recordWindowScope = "UPDATE " + names.windowKeys + " SET scope = ?, start_ns = ?, end_ns = ? WHERE id = ? "
        + "AND scope IS NULL";
    deleteWindowTotals = "DELETE FROM " + names.windowTotals + " WHERE window_id = ?";
    keptWindows = "SELECT k.id, k.start_us, k.start_ns, k.end_us, k.end_ns, k.scope FROM " + names.windowKeys
        + " k JOIN " + names.windowTotals + " t ON t.window_id = k.id WHERE k.end_us > ? AND k.start_us < ? "
        + "AND k.scope IS NOT NULL";
    // Only for a key row that exists: an id cached from a rolled-back insert creates nothing (see WindowIds).
    insertWindowTotals = "INSERT INTO " + names.windowTotals + " (" + COUNTER_COLUMNS + ", window_id) SELECT "
        + "CAST(? AS BIGINT), ".repeat(COUNTERS.length) + "id FROM " + names.windowKeys
        + " WHERE id = ? ON CONFLICT DO NOTHING";
    addToWindow = dialect.updateReturning("UPDATE " + names.windowTotals + " SET " + ADD_TO_COUNTERS
        + " WHERE window_id = ?", COUNTER_COLUMNS);
    // Kept: totals maintained by every record, which needs the scope (a V1 window has none recorded).
    readKeptWindow = "SELECT " + prefixed("t.", COUNTERS) + " FROM " + names.windowTotals + " t JOIN "
        + names.windowKeys + " k ON k.id = t.window_id WHERE t.window_id = ? AND k.scope IS NOT NULL";
    lockWindowKey = "SELECT id FROM " + names.windowKeys + " WHERE id = ? FOR UPDATE";
    highestClaim = "SELECT MAX(threshold) FROM " + names.claims + " WHERE window_id = ?";
    insertClaim = "INSERT INTO " + names.claims + " (window_id, threshold, claimed_us) VALUES (?, ?, ?)";
    claimedThresholds = "SELECT threshold FROM " + names.claims + " WHERE window_id = ? ORDER BY threshold";
    deleteClaims = "DELETE FROM " + names.claims + " WHERE window_id = ?";
    deleteOverlappingTotals = "DELETE FROM " + names.windowTotals + " WHERE window_id IN (SELECT id FROM "
        + names.windowKeys + " WHERE start_us < ? AND end_us > ?)";
    StringBuilder probe = new StringBuilder("SELECT 0");
    for (String table : new String[] {names.events, names.rollup, names.windowKeys, names.windowTotals,
        names.claims, names.outbox}) {
      probe.append(" + (SELECT COUNT(*) FROM ").append(table).append(" WHERE 1 = 0)");
    }
    probe.append(" + (SELECT COUNT(*) FROM ").append(names.meta).append(')');
    probeTables = probe.toString();
  }

  private static String addToEach(String[] columns) {
    StringBuilder out = new StringBuilder();
    for (String c : columns) {
      out.append(out.length() == 0 ? "" : ", ").append(c).append(" = ").append(c).append(" + ?");
    }
    return out.toString();
  }

  private static String prefixed(String prefix, String[] columns) {
    StringBuilder out = new StringBuilder();
    for (String c : columns) {
      out.append(out.length() == 0 ? "" : ", ").append(prefix).append(c);
    }
    return out.toString();
  }

  /**
   * A plain multi-row insert of {@code rows} events (no {@code ON CONFLICT}: a request id counted
   * before makes it fail as a whole, and H2 then undoes the statement alone).
   */
  String insertEventRows(int rows) {
    return rows == INSERT_CHUNK && insertFullChunk != null ? insertFullChunk : buildInsertRows(rows);
  }

  private String buildInsertRows(int rows) {
    StringBuilder sql = new StringBuilder(insertRowsPrefix.length() + rows * (insertRowValues.length() + 2));
    sql.append(insertRowsPrefix);
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append(insertRowValues);
    }
    return sql.toString();
  }

  /** Locks the rows of {@code count} request ids, in request id order so lockers never wait in a cycle. */
  String lockEvents(int count) {
    return lockEventsPrefix + Dialect.placeholders(count) + ") ORDER BY request_id FOR UPDATE";
  }

  /** Binds {@link #EVENT_COLUMNS} from {@code index} on; returns the next index. */
  static int bindEvent(PreparedStatement ps, int index, TokenUsageEvent e) throws SQLException {
    ps.setString(index++, e.requestId());
    return bindEventValues(ps, index, e);
  }

  /** Binds {@link #EVENT_COLUMNS} but the request id, from {@code index} on; returns the next index. */
  static int bindEventValues(PreparedStatement ps, int index, TokenUsageEvent e) throws SQLException {
    ps.setLong(index++, LedgerTime.micros(e.timestamp()));
    ps.setInt(index++, LedgerTime.nanosRest(e.timestamp()));
    ps.setLong(index++, LedgerTime.bucket(e.timestamp()));
    ps.setString(index++, e.model());
    setNullableString(ps, index++, e.project());
    setNullableString(ps, index++, e.session());
    ps.setString(index++, TagText.of(e.tags()));
    ps.setLong(index++, e.inputTokens());
    ps.setLong(index++, e.outputTokens());
    ps.setLong(index++, e.cacheCreationTokens());
    ps.setLong(index++, e.cacheReadTokens());
    ps.setLong(index++, e.totalTokens());
    if (e.hasCost()) {
      ps.setLong(index++, e.costNanoUsd());
    } else {
      ps.setNull(index++, Types.BIGINT);
    }
    return index;
  }

  static void setNullableString(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  /** Reads an event selected as {@link #EVENT_COLUMNS} starting at column {@code first}. */
  static TokenUsageEvent readEvent(ResultSet rs, int first) throws SQLException {
    String requestId = rs.getString(first);
    Instant at = LedgerTime.instant(rs.getLong(first + 1), rs.getInt(first + 2));
    long cost = rs.getLong(first + 13);
    if (rs.wasNull()) {
      cost = TokenUsageEvent.NO_COST;
    }
    String tags = rs.getString(first + 7);
    return new TokenUsageEvent(rs.getString(first + 4), rs.getLong(first + 8), rs.getLong(first + 9),
        rs.getLong(first + 10), rs.getLong(first + 11), rs.getLong(first + 12), at, requestId, rs.getString(first + 5),
        rs.getString(first + 6), tags.isEmpty() ? NO_TAGS : TagText.parse(tags), cost);
  }

  /** Binds the {@link #COUNTERS} from {@code index} on; returns the next index. */
  static int bindCounts(PreparedStatement ps, int index, Counts c) throws SQLException {
    ps.setLong(index++, c.inputTokens());
    ps.setLong(index++, c.outputTokens());
    ps.setLong(index++, c.cacheCreationTokens());
    ps.setLong(index++, c.cacheReadTokens());
    ps.setLong(index++, c.totalTokens());
    ps.setLong(index++, c.calls());
    ps.setLong(index++, c.costNanoUsd());
    ps.setLong(index++, c.unpricedCalls());
    ps.setLong(index++, c.unpricedTokens());
    return index;
  }

  /** Reads the {@link #COUNTERS} (as {@link #COUNTER_COLUMNS}) starting at column {@code first}. */
  static Counts readCounts(ResultSet rs, int first) throws SQLException {
    return new Counts(rs.getLong(first), rs.getLong(first + 1), rs.getLong(first + 2), rs.getLong(first + 3),
        rs.getLong(first + 4), rs.getLong(first + 5), rs.getLong(first + 6), rs.getLong(first + 7),
        rs.getLong(first + 8));
  }

  /** Binds a rollup row's key and dimensions, then {@code counts}: the parameters of {@link #addToRollup}. */
  static void bindRollup(PreparedStatement ps, int index, RollupKey key, Counts counts)
      throws SQLException {
    ps.setLong(index++, key.bucket());
    ps.setLong(index++, key.dimensions().high());
    ps.setLong(index++, key.dimensions().low());
    ps.setString(index++, key.model());
    setNullableString(ps, index++, key.project());
    setNullableString(ps, index++, key.session());
    ps.setString(index++, key.tags());
    bindCounts(ps, index, counts);
  }

  /** Number of parameters {@link #bindRollup} binds. */
  static final int ROLLUP_PARAMETERS = 7 + COUNTERS.length;

  /** Reads an instant stored as microseconds and rest (null if the first column is NULL). */
  static Instant readInstant(ResultSet rs, int first) throws SQLException {
    long micros = rs.getLong(first);
    if (rs.wasNull()) {
      return null;
    }
    return LedgerTime.instant(micros, rs.getInt(first + 1));
  }
}
