package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.RecordResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One {@code record} call: the plan is computed once from the batch, then {@link #run} applies it in
 * a transaction (again if the transaction is retried; possibly after other calls in the same
 * transaction, see {@link GroupCommit}).
 *
 * <p>Events sharing a request id within the batch are first resolved in memory into a chain whose
 * winner is what would be stored if the database knew no earlier event. The batch then inserts
 * every event without id and every chain winner with {@code ON CONFLICT DO NOTHING}, in batch order
 * (so the sequence follows the order of writes; on H2 first as multi-row inserts, falling back to
 * one statement per row for a chunk holding an id stored before). Ids that conflicted were counted
 * before: their rows are locked with {@code SELECT ... FOR UPDATE}, the chain is re-applied to the
 * stored event, and a larger total replaces the row. Then the deltas of each period move its
 * period row ({@code x = x + ?}, returning the new total: writers of one period serialise there, so
 * each sees the totals of all earlier ones) and the deltas per (period, model) move the totals rows,
 * both in sorted order, so concurrent writers never wait on each other in a cycle. Counter rows are
 * addressed by their {@link UsageKeys key id}, resolved (and created on first use) before any row
 * lock is taken.
 *
 * <p>One event of the current period moves its period row and its model's row by the same deltas. On
 * PostgreSQL the event insert and the two row updates go in one round trip (one pipelined statement);
 * the rare cases it does not settle (a request id counted before, a missing row) are finished or
 * undone in the same transaction. On H2 (embedded, no round trips) the same case is two plain
 * statements: the insert and one {@code UPDATE ... WHERE key_id IN (period, model)}.
 */
final class RecordOperation implements Transactions.Work<RecordResult> {

  private static final String UNIQUE_VIOLATION = "23505";

  private final Statements sql;
  private final UsageKeys keys;
  private final String budget;
  private final Instant currentPeriodStart;
  private final int eventCount;
  /** The rows to insert, in order of their latest write within the batch. */
  private final List<Write> writes;

  RecordOperation(Statements sql, UsageKeys keys, String budget, Instant currentPeriodStart, List<ChargedEvent> events) {
    this.sql = sql;
    this.keys = keys;
    this.budget = budget;
    this.currentPeriodStart = currentPeriodStart;
    this.eventCount = events.size();
    this.writes = plan(events);
  }

  /** An insert: a single event without request id, or the winner of the batch's events with one id. */
  private record Write(ChargedEvent event, Chain chain) {}

  /** The events of the batch with one request id, in order. */
  private static final class Chain {
    final List<ChargedEvent> events = new ArrayList<>(1);
    int winnerIndex;
    int positionInBatch;
  }

  /** What a chain does when applied on top of a stored event (or none). */
  private record Outcome(ChargedEvent last, int recorded, int replaced, int duplicates) {}

  private static List<Write> plan(List<ChargedEvent> events) {
    Map<String, Chain> chains = new HashMap<>();
    Write[] slots = new Write[events.size()];
    for (int i = 0; i < events.size(); i++) {
      ChargedEvent charged = events.get(i);
      String requestId = charged.event().requestId();
      if (requestId == null) {
        slots[i] = new Write(charged, null);
        continue;
      }
      Chain chain = chains.computeIfAbsent(requestId, id -> new Chain());
      if (chain.events.isEmpty() || charged.event().totalTokens() > chain.events.get(chain.winnerIndex).event().totalTokens()) {
        // This event is the chain's latest write: the row goes in at this position of the batch.
        if (!chain.events.isEmpty()) {
          slots[chain.positionInBatch] = null;
        }
        chain.winnerIndex = chain.events.size();
        chain.positionInBatch = i;
        slots[i] = new Write(charged, chain);
      }
      chain.events.add(charged);
    }
    List<Write> result = new ArrayList<>(events.size());
    for (Write w : slots) {
      if (w != null) {
        result.add(w);
      }
    }
    return result;
  }

  private static Outcome apply(Chain chain, ChargedEvent stored) {
    ChargedEvent current = stored;
    int recorded = 0;
    int replaced = 0;
    int duplicates = 0;
    for (ChargedEvent e : chain.events) {
      if (current == null) {
        recorded++;
        current = e;
      } else if (e.event().totalTokens() > current.event().totalTokens()) {
        replaced++;
        current = e;
      } else {
        duplicates++;
      }
    }
    return new Outcome(current, recorded, replaced, duplicates);
  }

  /** Whether this call is one event of the current period, the case {@link #runInOrder} shares updates for. */
  private boolean isOneCurrentEvent() {
    return eventCount == 1 && writes.get(0).event().periodStart().equals(currentPeriodStart);
  }

  /**
   * Applies {@code operations} in this order in one transaction (a group commit) and returns each
   * one's result, exactly as {@link #run} one after the other would. On H2, consecutive calls of one
   * event of the current period share their row updates: their events are inserted in order, then
   * each touched period row moves once by the sum of their tokens and each totals row once by the sum
   * per (period, model) (H2 rewrites a row in every one of its maps per update, so one update instead
   * of one per call is what the group saves). The period row is locked by that update until the
   * commit, so each call's total is the total before the group plus the tokens of the calls up to and
   * including it: what it would have seen alone. A request id counted before ends the run of shared
   * calls: that call takes the general path after the calls before it were applied.
   */
  static List<RecordResult> runInOrder(Connection connection, List<RecordOperation> operations) throws SQLException {
    RecordResult[] results = new RecordResult[operations.size()];
    int i = 0;
    while (i < operations.size()) {
      int end = i;
      while (end < operations.size() && operations.get(end).sharesUpdates()) {
        end++;
      }
      if (end - i < 2) {
        results[i] = operations.get(i).run(connection);
        i++;
        continue;
      }
      int inserted = i;
      while (inserted < end && operations.get(inserted).insertOneNewEvent(connection)) {
        inserted++;
      }
      applyShared(connection, operations, i, inserted, results);
      if (inserted < end) {
        // Its request id was counted before (nothing changed): the general path replaces or drops it.
        results[inserted] = operations.get(inserted).run(connection);
        inserted++;
      }
      i = inserted;
    }
    return Arrays.asList(results);
  }

  /** One event of the current period on a database without pipelining (H2): may share its group's updates. */
  private boolean sharesUpdates() {
    return sql.recordOneEvent == null && isOneCurrentEvent();
  }

  /** Inserts the single event; false, having changed nothing, if its request id was counted before. */
  private boolean insertOneNewEvent(Connection connection) throws SQLException {
    resolveKeys(connection);
    ChargedEvent charged = writes.get(0).event();
    TokenUsageEvent e = charged.event();
    int inserted;
    try (PreparedStatement ps = connection.prepareStatement(sql.insertEvent)) {
      ps.setString(1, budget);
      ps.setString(2, e.requestId());
      Statements.bindEventValues(ps, 3, e, charged.periodStart());
      inserted = ps.executeUpdate();
    }
    if (inserted == 0 && e.requestId() != null) {
      return false;
    }
    if (inserted != 1) {
      throw new SQLException("inserting an event row reported update count " + inserted + ", expected 1"
          + (e.requestId() == null ? "" : " or 0"));
    }
    return true;
  }

  /**
   * Moves the period and totals rows of the inserted single events {@code operations[from, to)} by
   * their summed deltas, all period rows (sorted by budget, period) before all totals rows (sorted by
   * budget, period, model), the lock order of every writer, and sets each call's result.
   */
  private static void applyShared(Connection connection, List<RecordOperation> operations, int from, int to,
      RecordResult[] results) throws SQLException {
    if (from == to) {
      return;
    }
    // Per budget: the first call of it (whose statements bind that budget), its period deltas and totals deltas.
    TreeMap<String, RecordOperation> byBudget = new TreeMap<>();
    TreeMap<String, TreeMap<Instant, TotalsDelta>> periodDeltas = new TreeMap<>();
    TreeMap<String, TreeMap<TotalsKey, TotalsDelta>> totalsDeltas = new TreeMap<>();
    for (int i = from; i < to; i++) {
      RecordOperation op = operations.get(i);
      ChargedEvent charged = op.writes.get(0).event();
      TokenUsageEvent e = charged.event();
      byBudget.putIfAbsent(op.budget, op);
      periodDeltas.computeIfAbsent(op.budget, b -> new TreeMap<>())
          .computeIfAbsent(charged.periodStart(), k -> new TotalsDelta()).add(e, 1);
      totalsDeltas.computeIfAbsent(op.budget, b -> new TreeMap<>())
          .computeIfAbsent(new TotalsKey(charged.periodStart(), e.model()), k -> new TotalsDelta()).add(e, 1);
    }
    // The running total of each (budget, period), starting from its total before these calls.
    Map<String, Map<Instant, long[]>> running = new HashMap<>();
    for (Map.Entry<String, TreeMap<Instant, TotalsDelta>> budget : periodDeltas.entrySet()) {
      RecordOperation op = byBudget.get(budget.getKey());
      Map<Instant, long[]> ofBudget = new HashMap<>();
      for (Map.Entry<Instant, TotalsDelta> period : budget.getValue().entrySet()) {
        long used = op.addUsed(connection, period.getKey(), period.getValue());
        ofBudget.put(period.getKey(), new long[] {used - period.getValue().total});
      }
      running.put(budget.getKey(), ofBudget);
    }
    for (Map.Entry<String, TreeMap<TotalsKey, TotalsDelta>> budget : totalsDeltas.entrySet()) {
      byBudget.get(budget.getKey()).applyTotals(connection, budget.getValue());
    }
    for (int i = from; i < to; i++) {
      RecordOperation op = operations.get(i);
      ChargedEvent charged = op.writes.get(0).event();
      long tokens = charged.event().totalTokens();
      long[] total = running.get(op.budget).get(charged.periodStart());
      total[0] += tokens;
      results[i] = new RecordResult(total[0], 1, 0, 0, tokens);
    }
  }

  @Override
  public RecordResult run(Connection connection) throws SQLException {
    if (isOneCurrentEvent()) {
      RecordResult result = sql.recordOneEvent != null ? recordOneEventPipelined(connection) : recordOneNewEvent(connection);
      if (result != null) {
        return result;
      }
    }
    resolveKeys(connection);
    Tally tally = new Tally();
    List<Chain> conflicted = insertEvents(connection, tally);
    if (!conflicted.isEmpty()) {
      replaceOrDrop(connection, conflicted, tally);
    }
    // Period rows before totals rows: the order in which every writer locks them, so none waits in a cycle.
    long used = applyPeriodUsage(connection, tally.periods);
    applyTotals(connection, tally.totals);
    return new RecordResult(used, tally.recorded, tally.replaced, tally.duplicates, tally.currentPeriodDelta);
  }

  /**
   * The common case on PostgreSQL, one event of the current period, in one round trip: inserts the
   * event, adds its counts to the period row (returning the period's total) and to its model's row,
   * assuming the event is new and the rows exist. Creates missing rows after the fact. If the request
   * id was counted before, undoes the two additions and returns null: the caller takes the general
   * path in the same transaction.
   */
  private RecordResult recordOneEventPipelined(Connection connection) throws SQLException {
    ChargedEvent charged = writes.get(0).event();
    TokenUsageEvent e = charged.event();
    TotalsKey key = new TotalsKey(charged.periodStart(), e.model());
    TotalsDelta delta = TotalsDelta.of(e, 1);
    long periodId = keys.id(connection, periodKey(charged.periodStart()));
    long totalsId = keys.id(connection, totalsKey(key));
    int inserted;
    BothRows rows;
    try (PreparedStatement ps = connection.prepareStatement(sql.recordOneEvent)) {
      ps.setString(1, budget);
      ps.setString(2, e.requestId());
      int next = Statements.bindEventValues(ps, 3, e, charged.periodStart());
      next = bindTotals(ps, next, periodId, delta);
      bindTotals(ps, next, totalsId, delta);
      if (ps.execute()) {
        throw new SQLException("the event insert of a pipelined record returned rows");
      }
      inserted = ps.getUpdateCount();
      if (!ps.getMoreResults()) {
        throw new SQLException("the period update of a pipelined record returned no rows result");
      }
      Long used = null;
      try (ResultSet rs = ps.getResultSet()) {
        if (rs.next()) {
          used = rs.getLong(1);
        }
      }
      if (ps.getMoreResults()) {
        throw new SQLException("the totals update of a pipelined record returned rows");
      }
      rows = new BothRows(used, ps.getUpdateCount() == 1);
    }
    if (inserted == 1) {
      return finishOne(connection, charged, key, delta, rows);
    }
    if (inserted != 0 || e.requestId() == null) {
      throw new SQLException("inserting an event row reported update count " + inserted + ", expected 1"
          + (e.requestId() == null ? "" : " or 0"));
    }
    TotalsDelta undo = TotalsDelta.of(e, -1);
    if (rows.used != null) {
      tryAddUsed(connection, periodId, undo);
    }
    if (rows.totalsUpdated) {
      List<Map.Entry<TotalsKey, TotalsDelta>> undoEntry = List.of(Map.entry(key, undo));
      if (!updateTotals(connection, undoEntry).isEmpty()) {
        throw new SQLException("undoing a locked totals row's update found no row");
      }
    }
    return null;
  }

  /**
   * The common case on H2, one event of the current period, in two plain statements (no JDBC
   * batches, no per-period maps): inserts the event, then adds its counts to its period row
   * (returning the period's total) and its model's row in one update. Returns null, having changed
   * nothing, if the request id was counted before: the caller takes the general path.
   */
  private RecordResult recordOneNewEvent(Connection connection) throws SQLException {
    if (!insertOneNewEvent(connection)) {
      return null;
    }
    ChargedEvent charged = writes.get(0).event();
    TokenUsageEvent e = charged.event();
    TotalsKey key = new TotalsKey(charged.periodStart(), e.model());
    TotalsDelta delta = TotalsDelta.of(e, 1);
    long periodId = keys.id(connection, periodKey(charged.periodStart()));
    long totalsId = keys.id(connection, totalsKey(key));
    BothRows rows;
    try (PreparedStatement ps = connection.prepareStatement(sql.addToBoth)) {
      bindBoth(ps, 1, periodId, totalsId, delta);
      try (ResultSet rs = ps.executeQuery()) {
        rows = BothRows.read(rs, periodId, totalsId);
      }
    }
    return finishOne(connection, charged, key, delta, rows);
  }

  /** What {@link Statements#addToBoth} changed: the period's new total if its row exists, whether the model's row exists. */
  private record BothRows(Long used, boolean totalsUpdated) {
    static BothRows read(ResultSet rs, long periodId, long totalsId) throws SQLException {
      Long used = null;
      boolean totalsUpdated = false;
      while (rs.next()) {
        long id = rs.getLong(1);
        if (id == periodId) {
          used = rs.getLong(2);
        } else if (id == totalsId) {
          totalsUpdated = true;
        } else {
          throw new SQLException("updating counter rows " + periodId + " and " + totalsId + " changed row " + id);
        }
      }
      return new BothRows(used, totalsUpdated);
    }
  }

  /**
   * After one new event's {@link Statements#addToBoth}: creates (and counts into) whichever of its two
   * counter rows did not exist yet (first use of the period or model, or after a period reset).
   */
  private RecordResult finishOne(Connection connection, ChargedEvent charged, TotalsKey key, TotalsDelta delta,
      BothRows rows) throws SQLException {
    long used = rows.used != null ? rows.used : addUsed(connection, charged.periodStart(), delta);
    if (!rows.totalsUpdated) {
      TreeMap<TotalsKey, TotalsDelta> missing = new TreeMap<>();
      missing.put(key, delta);
      applyTotals(connection, missing);
    }
    return new RecordResult(used, 1, 0, 0, charged.event().totalTokens());
  }

  /** Binds the parameters of {@link Statements#addToBoth}: the deltas, then the period's and the model's key id. */
  private static void bindBoth(PreparedStatement ps, int index, long periodId, long totalsId, TotalsDelta delta)
      throws SQLException {
    int next = bindTotals(ps, index, periodId, delta);
    ps.setLong(next, totalsId);
  }

  /** Counts and total deltas of one attempt. */
  private final class Tally {
    int recorded;
    int replaced;
    int duplicates;
    long currentPeriodDelta;
    final TreeMap<TotalsKey, TotalsDelta> totals = new TreeMap<>();
    final TreeMap<Instant, TotalsDelta> periods = new TreeMap<>();

    void add(ChargedEvent charged, int sign) {
      TokenUsageEvent e = charged.event();
      totals.computeIfAbsent(new TotalsKey(charged.periodStart(), e.model()), k -> new TotalsDelta()).add(e, sign);
      periods.computeIfAbsent(charged.periodStart(), k -> new TotalsDelta()).add(e, sign);
      if (charged.periodStart().equals(currentPeriodStart)) {
        currentPeriodDelta += sign * e.totalTokens();
      }
    }

    void count(Outcome outcome) {
      recorded += outcome.recorded();
      replaced += outcome.replaced();
      duplicates += outcome.duplicates();
    }
  }

  private List<Chain> insertEvents(Connection connection, Tally tally) throws SQLException {
    int[] counts = new int[writes.size()];
    if (sql.multiRowInserts && writes.size() > 1) {
      for (int from = 0; from < writes.size(); from += Statements.INSERT_CHUNK) {
        int to = Math.min(writes.size(), from + Statements.INSERT_CHUNK);
        if (insertRows(connection, from, to)) {
          Arrays.fill(counts, from, to, 1);
        } else {
          insertEachIfAbsent(connection, from, to, counts);
        }
      }
    } else {
      insertEachIfAbsent(connection, 0, writes.size(), counts);
    }
    List<Chain> conflicted = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      Write w = writes.get(i);
      if (counts[i] == 1) {
        tally.add(w.event(), 1);
        tally.count(w.chain() == null ? new Outcome(w.event(), 1, 0, 0) : apply(w.chain(), null));
      } else if (counts[i] == 0 && w.chain() != null) {
        conflicted.add(w.chain());
      } else {
        throw new SQLException("inserting an event row reported update count " + counts[i] + ", expected 1"
            + (w.chain() == null ? "" : " or 0"));
      }
    }
    return conflicted;
  }

  /**
   * Inserts writes [from, to) with one multi-row statement; false if one of their request ids is
   * stored already (the database undid the statement, and only it).
   */
  private boolean insertRows(Connection connection, int from, int to) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.insertEventRows(to - from))) {
      int index = 1;
      for (int i = from; i < to; i++) {
        ChargedEvent charged = writes.get(i).event();
        ps.setString(index++, budget);
        ps.setString(index++, charged.event().requestId());
        index = Statements.bindEventValues(ps, index, charged.event(), charged.periodStart());
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

  /** Inserts writes [from, to) one statement each (one JDBC batch), skipping stored request ids. */
  private void insertEachIfAbsent(Connection connection, int from, int to, int[] counts) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.insertEvent)) {
      for (int i = from; i < to; i++) {
        ChargedEvent charged = writes.get(i).event();
        ps.setString(1, budget);
        ps.setString(2, charged.event().requestId());
        Statements.bindEventValues(ps, 3, charged.event(), charged.periodStart());
        ps.addBatch();
      }
      int[] batch = ps.executeBatch();
      System.arraycopy(batch, 0, counts, from, batch.length);
    }
  }

  /** Locks the stored rows of request ids counted before and applies each chain on top of them. */
  private void replaceOrDrop(Connection connection, List<Chain> conflicted, Tally tally) throws SQLException {
    Map<String, ChargedEvent> stored = new HashMap<>();
    List<String> ids = conflicted.stream().map(c -> c.events.get(0).event().requestId()).sorted().toList();
    for (int from = 0; from < ids.size(); from += Statements.LOCK_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + Statements.LOCK_CHUNK));
      try (PreparedStatement ps = connection.prepareStatement(sql.lockEvents(chunk.size()))) {
        ps.setString(1, budget);
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 2, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            TokenUsageEvent e = Statements.readEvent(rs);
            stored.put(e.requestId(), new ChargedEvent(e, Statements.readPeriodStart(rs)));
          }
        }
      }
    }
    Map<String, ChargedEvent> replacements = new LinkedHashMap<>();
    for (Chain chain : conflicted) {
      String requestId = chain.events.get(0).event().requestId();
      ChargedEvent earlier = stored.get(requestId);
      if (earlier == null) {
        throw new Transactions.ConcurrentChangeException(
            "the stored event of a request id was deleted (period reset) while recording");
      }
      Outcome outcome = apply(chain, earlier);
      tally.count(outcome);
      if (outcome.last() != earlier) {
        tally.add(earlier, -1);
        tally.add(outcome.last(), 1);
        replacements.put(requestId, outcome.last());
      }
    }
    if (replacements.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement(sql.replaceEvent)) {
      for (Map.Entry<String, ChargedEvent> r : replacements.entrySet()) {
        int next = Statements.bindEventValues(ps, 1, r.getValue().event(), r.getValue().periodStart());
        ps.setString(next++, budget);
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

  private void applyTotals(Connection connection, TreeMap<TotalsKey, TotalsDelta> totals) throws SQLException {
    totals.values().removeIf(TotalsDelta::isZero);
    if (totals.isEmpty()) {
      return;
    }
    List<Map.Entry<TotalsKey, TotalsDelta>> missing = updateTotals(connection, new ArrayList<>(totals.entrySet()));
    if (missing.isEmpty()) {
      return;
    }
    // First use of a (period, model): create the rows; a concurrent writer may create some first.
    List<Map.Entry<TotalsKey, TotalsDelta>> lostRace = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql.insertTotals)) {
      for (Map.Entry<TotalsKey, TotalsDelta> entry : missing) {
        bindTotals(ps, 1, keys.id(connection, totalsKey(entry.getKey())), entry.getValue());
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          lostRace.add(missing.get(i));
        }
      }
    }
    List<Map.Entry<TotalsKey, TotalsDelta>> gone = lostRace.isEmpty() ? List.of() : updateTotals(connection, lostRace);
    if (!gone.isEmpty()) {
      // Deleted by a period reset since, or created for a cached key id whose row was never committed.
      gone.forEach(entry -> forgetKeys(totalsKey(entry.getKey())));
      throw new Transactions.ConcurrentChangeException("a totals row was deleted (period reset) while recording");
    }
  }

  /** Adds the deltas to existing rows; returns the entries whose row does not exist yet. */
  private List<Map.Entry<TotalsKey, TotalsDelta>> updateTotals(
      Connection connection, List<Map.Entry<TotalsKey, TotalsDelta>> entries) throws SQLException {
    List<Map.Entry<TotalsKey, TotalsDelta>> missing = new ArrayList<>(0);
    try (PreparedStatement ps = connection.prepareStatement(sql.updateTotals)) {
      for (Map.Entry<TotalsKey, TotalsDelta> entry : entries) {
        bindTotals(ps, 1, keys.id(connection, totalsKey(entry.getKey())), entry.getValue());
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          missing.add(entries.get(i));
        }
      }
    }
    return missing;
  }

  /** Binds the deltas then the key id, the parameter order shared by the update and insert of totals. */
  private static int bindTotals(PreparedStatement ps, int index, long keyId, TotalsDelta d) throws SQLException {
    ps.setLong(index++, d.input);
    ps.setLong(index++, d.output);
    ps.setLong(index++, d.cacheCreation);
    ps.setLong(index++, d.cacheRead);
    ps.setLong(index++, d.total);
    ps.setLong(index++, d.calls);
    ps.setLong(index++, keyId);
    return index;
  }

  private UsageKeys.Key periodKey(Instant periodStart) {
    return new UsageKeys.Key(budget, periodStart, UsageKeys.PERIOD);
  }

  private UsageKeys.Key totalsKey(TotalsKey key) {
    return new UsageKeys.Key(budget, key.periodStart(), key.model());
  }

  /**
   * Evicts {@code stale} and every key this call writes: ids resolved in a transaction that then rolled
   * back are stale as a set (each retry inserts the missing keys again), so forgetting only the one found
   * stale would leave the others, inserted by the failed attempt, stale for the next.
   */
  private void forgetKeys(UsageKeys.Key stale) {
    keys.evict(stale);
    for (Write w : writes) {
      keys.evict(periodKey(w.event().periodStart()));
      keys.evict(new UsageKeys.Key(budget, w.event().periodStart(), w.event().event().model()));
    }
  }

  /**
   * Resolves (inserting where missing) the key ids of every period and (period, model) this call
   * writes, in sorted order and before it takes any row lock, so that first uses of a key by
   * concurrent writers never wait on each other while holding counter rows. Keys of stored events a
   * call replaces exist already (their events were counted).
   */
  private void resolveKeys(Connection connection) throws SQLException {
    if (writes.size() == 1) {
      ChargedEvent charged = writes.get(0).event();
      keys.id(connection, periodKey(charged.periodStart()));
      keys.id(connection, new UsageKeys.Key(budget, charged.periodStart(), charged.event().model()));
      return;
    }
    TreeSet<UsageKeys.Key> needed = new TreeSet<>();
    for (Write w : writes) {
      needed.add(periodKey(w.event().periodStart()));
      needed.add(new UsageKeys.Key(budget, w.event().periodStart(), w.event().event().model()));
    }
    for (UsageKeys.Key key : needed) {
      keys.id(connection, key);
    }
  }

  /**
   * Adds each period's token delta to its period row, sorted by period, creating missing rows;
   * returns the current period's total.
   */
  private long applyPeriodUsage(Connection connection, TreeMap<Instant, TotalsDelta> deltas) throws SQLException {
    Long current = null;
    for (Map.Entry<Instant, TotalsDelta> entry : deltas.entrySet()) {
      if (!entry.getValue().isZero()) {
        long used = addUsed(connection, entry.getKey(), entry.getValue());
        if (entry.getKey().equals(currentPeriodStart)) {
          current = used;
        }
      }
    }
    return current != null ? current : readUsed(connection);
  }

  /** Adds {@code delta} to the period row, creating it first if missing; returns the new total. */
  private long addUsed(Connection connection, Instant periodStart, TotalsDelta delta) throws SQLException {
    UsageKeys.Key key = periodKey(periodStart);
    long periodId = keys.id(connection, key);
    Long used = tryAddUsed(connection, periodId, delta);
    if (used != null) {
      return used;
    }
    // First use of the period: create its row; a concurrent writer may create it first.
    try (PreparedStatement ps = connection.prepareStatement(sql.insertPeriod)) {
      ps.setLong(1, periodId);
      ps.executeUpdate();
    }
    used = tryAddUsed(connection, periodId, delta);
    if (used == null) {
      // Deleted by a period reset since, or the cached key id's row was never committed.
      forgetKeys(key);
      throw new Transactions.ConcurrentChangeException("a period row was deleted (period reset) while recording");
    }
    return used;
  }

  /** Adds {@code delta} to the period row and returns its new total; null if the row does not exist. */
  private Long tryAddUsed(Connection connection, long periodId, TotalsDelta delta) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.addUsed)) {
      bindTotals(ps, 1, periodId, delta);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private long readUsed(Connection connection) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.readUsed)) {
      ps.setString(1, budget);
      Statements.setInstant(ps, 2, currentPeriodStart);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** A totals row key; sorted so every batch updates rows in the same order. */
  private record TotalsKey(Instant periodStart, String model) implements Comparable<TotalsKey> {
    @Override
    public int compareTo(TotalsKey other) {
      int byPeriod = periodStart.compareTo(other.periodStart);
      return byPeriod != 0 ? byPeriod : model.compareTo(other.model);
    }
  }

  /** The change of one totals row. */
  private static final class TotalsDelta {
    long input;
    long output;
    long cacheCreation;
    long cacheRead;
    long total;
    long calls;

    static TotalsDelta of(TokenUsageEvent e, int sign) {
      TotalsDelta delta = new TotalsDelta();
      delta.add(e, sign);
      return delta;
    }

    void add(TokenUsageEvent e, int sign) {
      input += sign * e.inputTokens();
      output += sign * e.outputTokens();
      cacheCreation += sign * e.cacheCreationTokens();
      cacheRead += sign * e.cacheReadTokens();
      total += sign * e.totalTokens();
      calls += sign;
    }

    boolean isZero() {
      return input == 0 && output == 0 && cacheCreation == 0 && cacheRead == 0 && total == 0 && calls == 0;
    }
  }
}
