package dev.tokenwatch.domain.port;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackOutcome;
import dev.tokenwatch.domain.Usage;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One entry of the audit trail, passed to an {@link AuditTrail}. Every entry has the time the tracker
 * saw it (its clock's) and the budget's name.
 */
public sealed interface AuditRecord {

  /** When the tracker made the entry, by its clock. */
  Instant time();

  /** The budget's name. */
  String budget();

  /**
   * One event tracked by {@code track}.
   *
   * @param outcome what tracking did with it
   * @param usage the current period's usage after it
   */
  record Tracked(Instant time, String budget, TokenUsageEvent event, TrackOutcome outcome, Usage usage)
      implements AuditRecord {
    public Tracked {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(budget, "budget");
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(usage, "usage");
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
   * @param usage the current period's usage after the batch
   */
  record BatchTracked(Instant time, String budget, List<TokenUsageEvent> events, int recorded, int replaced,
      int duplicates, Usage usage) implements AuditRecord {
    public BatchTracked {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(budget, "budget");
      events = List.copyOf(events);
      Objects.requireNonNull(usage, "usage");
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
