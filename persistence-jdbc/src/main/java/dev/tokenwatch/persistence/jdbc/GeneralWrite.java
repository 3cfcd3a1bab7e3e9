package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.port.RecordResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The write path for any group of calls on either database, in one transaction: reads the retained
 * start, creates missing window rows from the ledger, inserts the plan's rows ({@code ON CONFLICT DO
 * NOTHING}), locks and reads the stored rows of the ids that conflicted, settles the plan on them,
 * replaces rows, then moves rollup rows and, last, window rows (the lock order of every writer). Each
 * statement covers the whole group: a group of single-event calls shares one update per rollup row
 * and per window.
 */
final class GeneralWrite {

  private final Retention retention;
  private final EventRows events;
  private final RollupRows rollups;
  private final WindowRows windows;

  GeneralWrite(Retention retention, EventRows events, RollupRows rollups, WindowRows windows) {
    this.retention = retention;
    this.events = events;
    this.rollups = rollups;
    this.windows = windows;
  }

  List<RecordResult> run(Connection connection, List<RecordPlan.Call> calls) throws SQLException {
    RecordPlan plan = RecordPlan.of(calls, retention.read(connection));
    windows.seed(connection, plan.windows());
    List<String> conflicted = events.insert(connection, plan.inserts());
    Map<String, TokenUsageEvent> stored = conflicted.isEmpty() ? Map.of() : events.lock(connection, conflicted);
    RecordPlan.Settled settled = plan.settle(stored);
    events.replace(connection, settled.replacements());
    rollups.add(connection, settled.rollupDeltas());
    Map<BudgetWindow, Counts> totals = windows.add(connection, settled.windowDeltas());
    return settled.results(totals);
  }
}
