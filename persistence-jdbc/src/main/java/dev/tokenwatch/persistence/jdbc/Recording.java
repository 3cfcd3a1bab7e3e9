package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.reservation.CommitResult;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * {@code record} and {@code commit} (a record that also ends its reservation), through one
 * instance's group commit ({@link GroupCommit}): a group's calls go in one transaction, planned by
 * {@link RecordPlan} (request ids de-duplicated, rollups and window totals moved), written by {@link
 * PipelinedWrite} (PostgreSQL, a lone call of one event into known windows) or else {@link
 * GeneralWrite}. A commit's reservation is ended after the record's window updates, the lock order
 * of {@link ReservationRows}.
 */
final class Recording {

  private final GroupCommit groupCommit;

  Recording(Statements sql, Transactions transactions, Retention retention, WindowIds windowIds, WindowRows windows,
      RollupRows rollups, KeptWindows kept, ReservationRows reservationRows) {
    GeneralWrite general = new GeneralWrite(retention, new EventRows(sql), rollups, windows, kept);
    PipelinedWrite pipelined = sql.dialect.pipelinesStatements()
        ? new PipelinedWrite(sql, retention, windowIds, kept, reservationRows) : null;
    this.groupCommit = new GroupCommit(transactions, (connection, calls) -> {
      if (pipelined != null && calls.size() == 1) {
        CommitResult result = pipelined.tryRun(connection, calls.get(0));
        if (result != null) {
          return List.of(result);
        }
      }
      return reservationRows.settle(connection, calls, general.run(connection, calls));
    });
  }

  /** See {@link dev.tokenwatch.domain.port.UsageStore#record}. */
  RecordResult record(List<TokenUsageEvent> events, List<BudgetWindow> windowsToKeep) {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(windowsToKeep, "windows");
    RecordPlan.Call call = new RecordPlan.Call(events, windowsToKeep);
    return groupCommit.record("recording " + events.size() + " event(s)", call, events.size()).recorded();
  }

  /** See {@link dev.tokenwatch.domain.port.UsageStore#commit}. */
  CommitResult commit(String reservationId, List<TokenUsageEvent> events, List<BudgetWindow> windowsToKeep,
      Instant now) {
    ReservationRequest.requireValidId(reservationId);
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(windowsToKeep, "windows");
    Objects.requireNonNull(now, "now");
    RecordPlan.Call call = new RecordPlan.Call(events, windowsToKeep, reservationId, now);
    return groupCommit.record("committing reservation " + reservationId + " with " + events.size() + " event(s)",
        call, events.size());
  }
}
