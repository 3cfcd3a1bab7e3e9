package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.StringJoiner;

/** Every SQL statement of the store, built once from the validated names and the dialect. */
final class Statements {

  /** Largest number of request ids locked by one {@code SELECT ... FOR UPDATE}. */
  static final int LOCK_CHUNK = 200;
  /** Largest number of event rows in one multi-row {@code INSERT} (H2). */
  static final int INSERT_CHUNK = 100;

  private static final String EVENT_VALUE_COLUMNS =
      "period_start, model, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, total_tokens, "
          + "occurred_at, occurred_nanos";

  final String insertEvent;
  final String replaceEvent;
  final String updateTotals;
  final String insertTotals;
  final String addUsed;
  final String readUsed;
  /**
   * H2: the counters of one event's period row and model row (two key ids), returning each row's key
   * and total. H2 visits the rows of an IN list on the key in key order, so they are locked period row
   * first (a period's key is always older than its models' keys), the order of every other writer.
   */
  final String addToBoth;
  final String selectKey;
  final String insertKey;
  /**
   * PostgreSQL only (null on H2): the event insert, the current period's {@link #addUsed} and the
   * totals update of one event, in one round trip.
   */
  final String recordOneEvent;
  final String periodTotals;
  final String periodTotalsBetween;
  final String history;
  final String insertPeriod;
  final String lockPeriod;
  final String highestClaim;
  final String insertClaim;
  final String claimedThresholds;
  final String deletePeriodEvents;
  final String deletePeriodCounters;
  final String deletePeriodClaims;
  final String probeTables;
  /** Whether batches insert events with multi-row statements ({@link #insertEventRows}). */
  final boolean multiRowInserts;
  private final String lockEventsPrefix;
  private final String insertRowsPrefix;
  private final String insertRowValues;
  private final String insertFullChunk;

  Statements(SqlNames names, Dialect dialect) {
    String nextSeq = dialect.nextValue(names.eventSequence);
    insertRowsPrefix = "INSERT INTO " + names.events + " (seq, budget, request_id, " + EVENT_VALUE_COLUMNS + ") VALUES ";
    insertRowValues = "(" + nextSeq + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    insertEvent = insertRowsPrefix + insertRowValues + " ON CONFLICT DO NOTHING";
    multiRowInserts = !dialect.pipelinesStatements();
    insertFullChunk = multiRowInserts ? buildInsertRows(INSERT_CHUNK) : null;
    replaceEvent = "UPDATE " + names.events + " SET seq = " + nextSeq + ", period_start = ?, model = ?, "
        + "input_tokens = ?, output_tokens = ?, cache_creation_tokens = ?, cache_read_tokens = ?, total_tokens = ?, "
        + "occurred_at = ?, occurred_nanos = ? WHERE budget = ? AND request_id = ?";
    lockEventsPrefix = "SELECT request_id, " + EVENT_VALUE_COLUMNS + " FROM " + names.events
        + " WHERE budget = ? AND request_id IN (";
    // Counter rows are addressed by their key id alone (see UsageKeys). A counter row is only created
    // for a key that exists (INSERT ... SELECT FROM the keys table), so an id that was never committed
    // creates nothing and is caught.
    String addCounters = "UPDATE " + names.counters + " SET input_tokens = input_tokens + ?, "
        + "output_tokens = output_tokens + ?, cache_creation_tokens = cache_creation_tokens + ?, "
        + "cache_read_tokens = cache_read_tokens + ?, total_tokens = total_tokens + ?, calls = calls + ? WHERE key_id";
    updateTotals = addCounters + " = ?";
    addUsed = dialect.updateReturning(addCounters + " = ?", "total_tokens");
    addToBoth = dialect.updateReturning(addCounters + " IN (?, ?)", "key_id, total_tokens");
    insertTotals = "INSERT INTO " + names.counters + " (input_tokens, output_tokens, cache_creation_tokens, "
        + "cache_read_tokens, total_tokens, calls, key_id) SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), "
        + "CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), id FROM " + names.keys
        + " WHERE id = ? ON CONFLICT DO NOTHING";
    readUsed = "SELECT c.total_tokens FROM " + names.keys + " k JOIN " + names.counters + " c ON c.key_id = k.id "
        + "WHERE k.budget = ? AND k.period_start = ? AND k.model = ''";
    selectKey = "SELECT id FROM " + names.keys + " WHERE budget = ? AND period_start = ? AND model = ?";
    insertKey = "INSERT INTO " + names.keys + " (id, budget, period_start, model) VALUES ("
        + dialect.nextValue(names.keySequence) + ", ?, ?, ?) ON CONFLICT DO NOTHING";
    // Period row, then model row, as separate statements: PostgreSQL may visit the rows of an IN list in
    // any order (by their physical place), which would let two writers lock them in opposite orders.
    recordOneEvent = dialect.pipelinesStatements() ? insertEvent + "; " + addUsed + "; " + updateTotals : null;
    String totalsColumns = "k.period_start, k.model, t.input_tokens, t.output_tokens, t.cache_creation_tokens, "
        + "t.cache_read_tokens, t.total_tokens, t.calls FROM " + names.keys + " k JOIN " + names.counters
        + " t ON t.key_id = k.id";
    // Model rows only (the period's own row, model '', holds their sums).
    periodTotals = "SELECT " + totalsColumns + " WHERE k.budget = ? AND k.period_start = ? AND k.model <> '' "
        + "AND t.calls > 0";
    periodTotalsBetween = "SELECT " + totalsColumns + " WHERE k.budget = ? AND k.period_start >= ? "
        + "AND k.period_start < ? AND k.model <> '' AND t.calls > 0 ORDER BY k.period_start";
    // Walks the key (seq) backwards and stops after `limit` rows of the budget. COALESCE (budget is never null)
    // keeps planners off the (budget, request_id) index, which would read and sort all of the budget's events.
    history = "SELECT request_id, " + EVENT_VALUE_COLUMNS + " FROM " + names.events
        + " WHERE COALESCE(budget, '') = ? ORDER BY seq DESC LIMIT ?";
    insertPeriod = "INSERT INTO " + names.counters + " (key_id, input_tokens, output_tokens, cache_creation_tokens, "
        + "cache_read_tokens, total_tokens, calls) SELECT id, 0, 0, 0, 0, 0, 0 FROM " + names.keys
        + " WHERE id = ? ON CONFLICT DO NOTHING";
    lockPeriod = "SELECT total_tokens FROM " + names.counters + " WHERE key_id = ? FOR UPDATE";
    highestClaim = "SELECT MAX(threshold) FROM " + names.claims + " WHERE budget = ? AND period_start = ?";
    insertClaim = "INSERT INTO " + names.claims + " (budget, period_start, threshold, claimed_at) VALUES (?, ?, ?, ?)";
    claimedThresholds = "SELECT threshold FROM " + names.claims
        + " WHERE budget = ? AND period_start = ? ORDER BY threshold";
    deletePeriodEvents = "DELETE FROM " + names.events + " WHERE budget = ? AND period_start = ?";
    // The keys stay (ids are cached by every store instance and never reused): only the counters go, the
    // period's row and its models' rows.
    deletePeriodCounters = "DELETE FROM " + names.counters
        + " WHERE key_id IN (SELECT id FROM " + names.keys + " WHERE budget = ? AND period_start = ?)";
    deletePeriodClaims = "DELETE FROM " + names.claims + " WHERE budget = ? AND period_start = ?";
    probeTables = "SELECT (SELECT COUNT(*) FROM " + names.counters + " WHERE 1 = 0) + (SELECT COUNT(*) FROM "
        + names.events + " WHERE 1 = 0) + (SELECT COUNT(*) FROM " + names.claims + " WHERE 1 = 0) + "
        + "(SELECT COUNT(*) FROM " + names.keys + " WHERE 1 = 0)";
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

  /** Locks the event rows of {@code count} request ids, in request id order so lockers never wait in a cycle. */
  String lockEvents(int count) {
    StringJoiner placeholders = new StringJoiner(", ", lockEventsPrefix, ") ORDER BY request_id FOR UPDATE");
    for (int i = 0; i < count; i++) {
      placeholders.add("?");
    }
    return placeholders.toString();
  }

  static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
    ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  static Instant getInstant(ResultSet rs, int index) throws SQLException {
    return rs.getObject(index, OffsetDateTime.class).toInstant();
  }

  /** Binds the columns of {@link #EVENT_VALUE_COLUMNS} from {@code index} on; returns the next index. */
  static int bindEventValues(PreparedStatement ps, int index, TokenUsageEvent e, Instant periodStart)
      throws SQLException {
    setInstant(ps, index++, periodStart);
    ps.setString(index++, e.model());
    ps.setLong(index++, e.inputTokens());
    ps.setLong(index++, e.outputTokens());
    ps.setLong(index++, e.cacheCreationTokens());
    ps.setLong(index++, e.cacheReadTokens());
    ps.setLong(index++, e.totalTokens());
    // PostgreSQL keeps microseconds and would round; truncate here and keep the exact nanos apart.
    setInstant(ps, index++, e.timestamp().truncatedTo(ChronoUnit.MICROS));
    ps.setInt(index++, e.timestamp().getNano());
    return index;
  }

  /** Reads an event selected as {@code request_id, EVENT_VALUE_COLUMNS} (request id in column 1). */
  static TokenUsageEvent readEvent(ResultSet rs) throws SQLException {
    String requestId = rs.getString(1);
    Instant occurredMicros = getInstant(rs, 9);
    Instant occurred = Instant.ofEpochSecond(occurredMicros.getEpochSecond(), rs.getInt(10));
    return new TokenUsageEvent(rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
        rs.getLong(8), occurred, requestId);
  }

  /** The period start of an event selected as in {@link #readEvent}. */
  static Instant readPeriodStart(ResultSet rs) throws SQLException {
    return getInstant(rs, 2);
  }
}
