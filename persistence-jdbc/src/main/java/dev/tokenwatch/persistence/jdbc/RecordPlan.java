package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.RequestRule;
import dev.tokenwatch.domain.port.RecordResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one or more {@code record} calls, applied in order in one transaction, write: pure, no
 * database. Built in two steps, around the one thing only the database knows (which request ids it
 * counted before):
 *
 * <ol>
 *   <li>{@link #of}: the rows to insert, assuming no request id of the calls was counted before.
 *       Events sharing an id are resolved here ({@link RequestRule}: the first record of the largest
 *       total wins), so each id is one row, inserted at the position of its winning write; events
 *       before the retained range are left out.
 *   <li>{@link #settle}: given the stored events of the ids whose insert found a row, replays every
 *       call's events in order through {@link RequestRule}, exactly as the in-memory reference store
 *       does, giving each call's counts and window deltas, the rows to replace, and the changes of
 *       the 15-minute rollups and of the kept window totals, summed over the calls.
 * </ol>
 */
final class RecordPlan {

  /**
   * One {@code record} call, or a {@code commit}: a record that also ends reservation {@code
   * reservationId} (null for a record) at {@code settledAt}, in the same transaction.
   */
  record Call(List<TokenUsageEvent> events, List<BudgetWindow> windows, String reservationId, Instant settledAt) {
    Call {
      events = List.copyOf(events);
      windows = List.copyOf(windows);
      if ((reservationId == null) != (settledAt == null)) {
        throw new IllegalArgumentException("a commit needs both its reservation id and its instant");
      }
    }

    /** A plain record. */
    Call(List<TokenUsageEvent> events, List<BudgetWindow> windows) {
      this(events, windows, null, null);
    }

    int size() {
      return events.size();
    }
  }

  private final List<Call> calls;
  private final Instant retainedFrom;
  private final List<TokenUsageEvent> inserts;

  private RecordPlan(List<Call> calls, Instant retainedFrom, List<TokenUsageEvent> inserts) {
    this.calls = calls;
    this.retainedFrom = retainedFrom;
    this.inserts = inserts;
  }

  /** The plan of {@code calls} in this order on a ledger retained from {@code retainedFrom} (null: all). */
  static RecordPlan of(List<Call> calls, Instant retainedFrom) {
    List<TokenUsageEvent> all = new ArrayList<>();
    for (Call call : calls) {
      all.addAll(call.events());
    }
    TokenUsageEvent[] slots = new TokenUsageEvent[all.size()];
    Map<String, Integer> winnerSlot = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      TokenUsageEvent e = all.get(i);
      if (isBeforeRetention(e, retainedFrom)) {
        continue;
      }
      if (e.requestId() == null) {
        slots[i] = e;
        continue;
      }
      Integer earlier = winnerSlot.get(e.requestId());
      if (earlier == null || e.totalTokens() > slots[earlier].totalTokens()) {
        if (earlier != null) {
          slots[earlier] = null;
        }
        slots[i] = e;
        winnerSlot.put(e.requestId(), i);
      }
    }
    List<TokenUsageEvent> inserts = new ArrayList<>(all.size());
    for (TokenUsageEvent e : slots) {
      if (e != null) {
        inserts.add(e);
      }
    }
    return new RecordPlan(List.copyOf(calls), retainedFrom, inserts);
  }

  private static boolean isBeforeRetention(TokenUsageEvent e, Instant retainedFrom) {
    return retainedFrom != null && e.timestamp().isBefore(retainedFrom);
  }

  /** The calls, in order. */
  List<Call> calls() {
    return calls;
  }

  /** Where the ledger was retained from when the plan was made. */
  Instant retainedFrom() {
    return retainedFrom;
  }

  /** The distinct windows of the calls, in order of first appearance. */
  List<BudgetWindow> windows() {
    LinkedHashSet<BudgetWindow> windows = new LinkedHashSet<>();
    for (Call call : calls) {
      windows.addAll(call.windows());
    }
    return List.copyOf(windows);
  }

  /** The rows to insert ({@code ON CONFLICT DO NOTHING}), in write order. */
  List<TokenUsageEvent> inserts() {
    return inserts;
  }

  /** {@link #settle(Map, List)} with no kept windows besides the named ones. */
  Settled settle(Map<String, TokenUsageEvent> stored) {
    return new Settled(stored, List.of());
  }

  /**
   * Settles the plan once the inserts ran. Every call charges every window of the group (those it
   * names and those other calls name: in the calls' order a window named later would be kept, or
   * seeded from the ledger, after the earlier calls) and the {@code kept} ones.
   *
   * @param stored the stored event of every request id whose insert found a row counted before
   * @param kept windows the store keeps that no call names (distinct from {@link #windows()})
   */
  Settled settle(Map<String, TokenUsageEvent> stored, List<BudgetWindow> kept) {
    return new Settled(stored, kept);
  }

  /** The outcome of the calls, given what the database held. */
  final class Settled {
    private final Map<String, TokenUsageEvent> replacements = new LinkedHashMap<>();
    private final TreeMap<RollupKey, long[]> rollup = new TreeMap<>();
    /** Every window of the calls (first appearance order) and its change: the calls naming it. */
    private final LinkedHashMap<BudgetWindow, long[]> windowDeltas = new LinkedHashMap<>();
    private final int[][] counts;
    /** Per call, per distinct window of the call: its change. */
    private final List<LinkedHashMap<BudgetWindow, long[]>> callDeltas = new ArrayList<>();

    private Settled(Map<String, TokenUsageEvent> stored, List<BudgetWindow> kept) {
      Map<String, TokenUsageEvent> current = new HashMap<>(stored);
      counts = new int[calls.size()][4];
      List<BudgetWindow> groupWindows = calls.size() == 1 ? List.of() : windows();
      for (int c = 0; c < calls.size(); c++) {
        Call call = calls.get(c);
        LinkedHashMap<BudgetWindow, long[]> deltas = new LinkedHashMap<>();
        for (List<BudgetWindow> charged : List.of(call.windows(), groupWindows, kept)) {
          for (BudgetWindow w : charged) {
            deltas.computeIfAbsent(w, k -> new long[COUNTERS]);
            windowDeltas.computeIfAbsent(w, k -> new long[COUNTERS]);
          }
        }
        callDeltas.add(deltas);
        for (TokenUsageEvent e : call.events()) {
          if (isBeforeRetention(e, retainedFrom)) {
            counts[c][3]++;
            continue;
          }
          TokenUsageEvent earlier = e.requestId() == null ? null : current.get(e.requestId());
          switch (RequestRule.decide(earlier == null ? -1 : earlier.totalTokens(), e)) {
            case DUPLICATE -> {
              counts[c][2]++;
              continue;
            }
            case REPLACE -> {
              counts[c][1]++;
              move(earlier, -1, deltas);
            }
            case RECORD -> counts[c][0]++;
          }
          move(e, 1, deltas);
          if (e.requestId() != null) {
            current.put(e.requestId(), e);
          }
        }
        for (Map.Entry<BudgetWindow, long[]> d : deltas.entrySet()) {
          add(windowDeltas.get(d.getKey()), d.getValue(), 1);
        }
      }
      for (Map.Entry<String, TokenUsageEvent> s : stored.entrySet()) {
        TokenUsageEvent last = current.get(s.getKey());
        if (last != s.getValue()) {
          replacements.put(s.getKey(), last);
        }
      }
      rollup.values().removeIf(RecordPlan::isZero);
    }

    private void move(TokenUsageEvent e, int sign, Map<BudgetWindow, long[]> deltas) {
      long[] counts = countsOf(e);
      add(rollup.computeIfAbsent(RollupKey.of(e), k -> new long[COUNTERS]), counts, sign);
      for (Map.Entry<BudgetWindow, long[]> d : deltas.entrySet()) {
        if (d.getKey().charges(e)) {
          add(d.getValue(), counts, sign);
        }
      }
    }

    /** Request ids counted before whose stored row a larger record replaces, with that record, in order. */
    Map<String, TokenUsageEvent> replacements() {
      return replacements;
    }

    /** The non-zero changes of rollup rows, in lock order. */
    Map<RollupKey, Counts> rollupDeltas() {
      Map<RollupKey, Counts> out = new LinkedHashMap<>();
      rollup.forEach((k, v) -> out.put(k, toCounts(v)));
      return out;
    }

    /** Every window charged (named, then kept) with its change: the sum over the calls. */
    Map<BudgetWindow, Counts> windowDeltas() {
      Map<BudgetWindow, Counts> out = new LinkedHashMap<>();
      windowDeltas.forEach((k, v) -> out.put(k, toCounts(v)));
      return out;
    }

    /**
     * Each call's result, given the named windows' totals after all the calls (kept windows no call
     * names may be left out): the calls see their windows' totals as they would have alone, one
     * after the other.
     */
    List<RecordResult> results(Map<BudgetWindow, Counts> totalsAfter) {
      Map<BudgetWindow, Counts> running = new HashMap<>();
      for (Map.Entry<BudgetWindow, long[]> d : windowDeltas.entrySet()) {
        Counts after = totalsAfter.get(d.getKey());
        if (after != null) {
          running.put(d.getKey(), after.minus(toCounts(d.getValue())));
        }
      }
      List<RecordResult> results = new ArrayList<>(calls.size());
      for (int c = 0; c < calls.size(); c++) {
        LinkedHashMap<BudgetWindow, long[]> deltas = callDeltas.get(c);
        for (Map.Entry<BudgetWindow, long[]> d : deltas.entrySet()) {
          running.computeIfPresent(d.getKey(), (w, before) -> before.plus(toCounts(d.getValue())));
        }
        List<Counts> totals = new ArrayList<>();
        List<Counts> changes = new ArrayList<>();
        for (BudgetWindow w : calls.get(c).windows()) {
          Counts total = running.get(w);
          if (total == null) {
            throw new IllegalArgumentException("no totals given for window " + w);
          }
          totals.add(total);
          changes.add(toCounts(deltas.get(w)));
        }
        int[] n = counts[c];
        results.add(new RecordResult(n[0], n[1], n[2], n[3], totals, changes));
      }
      return results;
    }
  }

  /** Number of counters, as in {@link Counts}. */
  static final int COUNTERS = 9;

  static long[] countsOf(TokenUsageEvent e) {
    Counts c = Counts.of(e);
    return new long[] {c.inputTokens(), c.outputTokens(), c.cacheCreationTokens(), c.cacheReadTokens(),
        c.totalTokens(), c.calls(), c.costNanoUsd(), c.unpricedCalls(), c.unpricedTokens()};
  }

  private static void add(long[] sum, long[] counts, int sign) {
    for (int i = 0; i < COUNTERS; i++) {
      sum[i] = Math.addExact(sum[i], sign * counts[i]);
    }
  }

  private static boolean isZero(long[] sums) {
    for (long s : sums) {
      if (s != 0) {
        return false;
      }
    }
    return true;
  }

  static Counts toCounts(long[] s) {
    return new Counts(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]);
  }
}
