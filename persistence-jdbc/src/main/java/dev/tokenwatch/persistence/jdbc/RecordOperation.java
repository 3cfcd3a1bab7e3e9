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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code record} call: the plan is computed once from the batch, then {@link #run} applies it in
 * one transaction (and again if the transaction is retried).
 *
 * <p>Events sharing a request id within the batch are first resolved in memory into a chain whose
 * winner is what would be stored if the database knew no earlier event. The batch then inserts
 * every event without id and every chain winner with {@code ON CONFLICT DO NOTHING}, in batch order
 * (so the sequence follows the order of writes). Ids that conflicted were counted before: their
 * rows are locked with {@code SELECT ... FOR UPDATE}, the chain is re-applied to the stored event,
 * and a larger total replaces the row. Totals move by deltas summed per (period, model) and applied
 * in sorted order with {@code SET x = x + ?}, so concurrent batches never wait on each other in a
 * cycle there.
 */
final class RecordOperation implements Transactions.Work<RecordResult> {

  private final Statements sql;
  private final String budget;
  private final Instant currentPeriodStart;
  /** The rows to insert, in order of their latest write within the batch. */
  private final List<Write> writes;

  RecordOperation(Statements sql, String budget, Instant currentPeriodStart, List<ChargedEvent> events) {
    this.sql = sql;
    this.budget = budget;
    this.currentPeriodStart = currentPeriodStart;
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

  @Override
  public RecordResult run(Connection connection) throws SQLException {
    Tally tally = new Tally();
    List<Chain> conflicted = insertEvents(connection, tally);
    if (!conflicted.isEmpty()) {
      replaceOrDrop(connection, conflicted, tally);
    }
    applyTotals(connection, tally.totals);
    long used = currentUsed(connection);
    return new RecordResult(used, tally.recorded, tally.replaced, tally.duplicates, tally.currentPeriodDelta);
  }

  /** Counts and total deltas of one attempt. */
  private final class Tally {
    int recorded;
    int replaced;
    int duplicates;
    long currentPeriodDelta;
    final TreeMap<TotalsKey, TotalsDelta> totals = new TreeMap<>();

    void add(ChargedEvent charged, int sign) {
      TokenUsageEvent e = charged.event();
      totals.computeIfAbsent(new TotalsKey(charged.periodStart(), e.model()), k -> new TotalsDelta()).add(e, sign);
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
    int[] counts;
    try (PreparedStatement ps = connection.prepareStatement(sql.insertEvent)) {
      for (Write w : writes) {
        ps.setString(1, budget);
        ps.setString(2, w.event().event().requestId());
        Statements.bindEventValues(ps, 3, w.event().event(), w.event().periodStart());
        ps.addBatch();
      }
      counts = ps.executeBatch();
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
        bindTotals(ps, entry);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          lostRace.add(missing.get(i));
        }
      }
    }
    if (!lostRace.isEmpty() && !updateTotals(connection, lostRace).isEmpty()) {
      throw new Transactions.ConcurrentChangeException("a totals row was deleted (period reset) while recording");
    }
  }

  /** Adds the deltas to existing rows; returns the entries whose row does not exist yet. */
  private List<Map.Entry<TotalsKey, TotalsDelta>> updateTotals(
      Connection connection, List<Map.Entry<TotalsKey, TotalsDelta>> entries) throws SQLException {
    List<Map.Entry<TotalsKey, TotalsDelta>> missing = new ArrayList<>(0);
    try (PreparedStatement ps = connection.prepareStatement(sql.updateTotals)) {
      for (Map.Entry<TotalsKey, TotalsDelta> entry : entries) {
        bindTotals(ps, entry);
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

  /** Binds the deltas then the key, the parameter order shared by the update and insert of totals. */
  private void bindTotals(PreparedStatement ps, Map.Entry<TotalsKey, TotalsDelta> entry) throws SQLException {
    TotalsDelta d = entry.getValue();
    ps.setLong(1, d.input);
    ps.setLong(2, d.output);
    ps.setLong(3, d.cacheCreation);
    ps.setLong(4, d.cacheRead);
    ps.setLong(5, d.total);
    ps.setLong(6, d.calls);
    ps.setString(7, budget);
    Statements.setInstant(ps, 8, entry.getKey().periodStart());
    ps.setString(9, entry.getKey().model());
  }

  private long currentUsed(Connection connection) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(sql.currentUsed)) {
      ps.setString(1, budget);
      Statements.setInstant(ps, 2, currentPeriodStart);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
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
