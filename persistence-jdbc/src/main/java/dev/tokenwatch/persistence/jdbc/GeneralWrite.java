package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.port.RecordResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write path for any group of calls on either database, in one transaction: takes the kept
 * windows' lock (exclusive only if a named window may need its totals created) and reads the
 * retained start, creates missing window rows from the ledger, inserts the plan's rows ({@code ON
 * CONFLICT DO NOTHING}), locks and reads the stored rows of the ids that conflicted, finds the kept
 * windows no call names that charge the new or the replaced events, settles the plan on all that,
 * replaces rows, then moves rollup rows and, last, window rows in id order (the lock order of every
 * writer). Each statement covers the whole group: a group of single-event calls shares one update
 * per rollup row and per window.
 */
final class GeneralWrite {

  private final EventRows events;
  private final RollupRows rollups;
  private final WindowRows windows;
  private final KeptWindows kept;
  private final Retention retention;

  GeneralWrite(Retention retention, EventRows events, RollupRows rollups, WindowRows windows, KeptWindows kept) {
    this.retention = retention;
    this.events = events;
    this.rollups = rollups;
    this.windows = windows;
    this.kept = kept;
  }

  List<RecordResult> run(Connection connection, List<RecordPlan.Call> calls) throws SQLException {
    List<BudgetWindow> named = namedWindows(calls);
    boolean exclusive = windows.mayNeedSeed(named);
    KeptWindows.Meta meta = kept.lock(connection, exclusive);
    retention.seen(meta.retainedFrom());
    RecordPlan plan = RecordPlan.of(calls, meta.retainedFrom());
    Set<Long> namedIds = exclusive ? windows.seed(connection, named, kept) : windows.cachedIds(named);
    List<String> conflicted = events.insert(connection, plan.inserts());
    Map<String, TokenUsageEvent> stored = conflicted.isEmpty() ? Map.of() : events.lock(connection, conflicted);
    List<TokenUsageEvent> touched = new ArrayList<>(plan.inserts());
    touched.addAll(stored.values());
    Map<BudgetWindow, Long> keptIds = new HashMap<>();
    List<BudgetWindow> others = new ArrayList<>();
    for (KeptWindows.Kept k : kept.charging(connection, meta, touched, namedIds, !exclusive)) {
      keptIds.put(k.window(), k.id());
      others.add(k.window());
    }
    RecordPlan.Settled settled = plan.settle(stored, others);
    events.replace(connection, settled.replacements());
    rollups.add(connection, settled.rollupDeltas());
    Map<BudgetWindow, Counts> totals = windows.add(connection, settled.windowDeltas(), keptIds, kept);
    return settled.results(totals);
  }

  private static List<BudgetWindow> namedWindows(List<RecordPlan.Call> calls) {
    if (calls.size() == 1) {
      return calls.get(0).windows();
    }
    Set<BudgetWindow> all = new HashSet<>();
    List<BudgetWindow> out = new ArrayList<>();
    for (RecordPlan.Call call : calls) {
      for (BudgetWindow w : call.windows()) {
        if (all.add(w)) {
          out.add(w);
        }
      }
    }
    return out;
  }
}
