package dev.tokenwatch.domain.port;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackOutcome;
import dev.tokenwatch.domain.Usage;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the audit trail, passed to an {@link AuditTrail}. Every entry has the time the tracker
 * saw it (its clock's); entries of tracking name what they did to each budget, the others name their
 * budget.
 */
public sealed interface AuditRecord {

  /** When the tracker made the entry, by its clock. */
  Instant time();

  /**
   * One event tracked by {@code track}.
   *
   * @param event the event as recorded (with its cost, if it was priced)
   * @param outcome what tracking did with it
   * @param budgets each budget's usage after it, by name, in the tracker's order
   */
  record Tracked(Instant time, TokenUsageEvent event, TrackOutcome outcome, Map<String, Usage> budgets)
      implements AuditRecord {
    public Tracked {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(budgets, "budgets");
    }
  }

  /**
   * A batch tracked by {@code trackAll} in one store operation, with the outcome of its events
   * (their counts: the store does not tell which event had which outcome).
   *
   * @param events the batch, in order
   * @param recorded events counted for the first time
   * @param replaced events that replaced an earlier, smaller record with the same request id
   * @param duplicates events dropped as already counted
   * @param budgets each budget's usage after the batch, by name, in the tracker's order
   */
  record BatchTracked(Instant time, List<TokenUsageEvent> events, int recorded, int replaced,
      int duplicates, Map<String, Usage> budgets) implements AuditRecord {
    public BatchTracked {
      Objects.requireNonNull(time, "time");
      events = List.copyOf(events);
      Objects.requireNonNull(budgets, "budgets");
    }
  }

  /**
   * The clock passed the end of the current period: a new one began.
   *
   * @param previousEnd when the period that ended did end (before {@code periodStart} if the clock
   *     skipped whole periods)
   * @param periodStart the new period's start, with the budget zone's offset
   * @param periodEnd the new period's end
   */
  record PeriodRolled(Instant time, String budget, OffsetDateTime previousEnd, OffsetDateTime periodStart,
      OffsetDateTime periodEnd) implements AuditRecord {
    public PeriodRolled {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(budget, "budget");
      Objects.requireNonNull(previousEnd, "previousEnd");
      Objects.requireNonNull(periodStart, "periodStart");
      Objects.requireNonNull(periodEnd, "periodEnd");
    }
  }

  /** An alert was raised (this process won the threshold's claim) and goes to the alert sinks. */
  record AlertRaised(Instant time, String budget, Alert alert) implements AuditRecord {
    public AlertRaised {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(budget, "budget");
      Objects.requireNonNull(alert, "alert");
    }
  }

  /**
   * The current period was cleared on request ({@code reset}).
   *
   * @param periodStart the cleared period's start, with the budget zone's offset
   * @param periodEnd the cleared period's end
   */
  record Reset(Instant time, String budget, OffsetDateTime periodStart, OffsetDateTime periodEnd)
      implements AuditRecord {
    public Reset {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(budget, "budget");
      Objects.requireNonNull(periodStart, "periodStart");
      Objects.requireNonNull(periodEnd, "periodEnd");
    }
  }
}
