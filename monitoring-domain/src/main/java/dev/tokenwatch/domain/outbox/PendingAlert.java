package dev.tokenwatch.domain.outbox;

import dev.tokenwatch.domain.Alert;
import java.time.Instant;
import java.util.Objects;

/**
 * An alert in the outbox, not yet delivered to one sink. The rules of the outbox are written here
 * once; stores keep the fields and apply them.
 *
 * @param sink the name of the sink it goes to
 * @param alert the alert (its {@link Alert#id()} and {@code sink} identify the entry)
 * @param queuedAt when the threshold was claimed (the alert's timestamp); {@code giveUpAfter} counts
 *     from here
 * @param attempts how often it was taken for delivery
 * @param nextAttemptAt when it is due again: the end of the current taker's lease, or of the backoff
 *     after a failure
 * @param lastProblem what went wrong last time, or "" before any failure
 * @param givenUp whether delivery was given up (kept for {@code status} and {@code doctor}; never due)
 */
public record PendingAlert(String sink, Alert alert, Instant queuedAt, int attempts, Instant nextAttemptAt,
    String lastProblem, boolean givenUp) {

  public PendingAlert {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(queuedAt, "queuedAt");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(lastProblem, "lastProblem");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative: " + attempts);
    }
  }

  /** A new entry of a claim, taken by the claimer until {@code leaseUntil}. */
  static PendingAlert queued(String sink, Alert alert, Instant leaseUntil) {
    return new PendingAlert(sink, alert, alert.timestamp(), 1, leaseUntil, "", false);
  }

  /** The alert's id. */
  public String alertId() {
    return alert.id();
  }

  /** Whether a process may take it at {@code now}: not given up, and its lease or backoff has passed. */
  public boolean dueAt(Instant now) {
    return !givenUp && !nextAttemptAt.isAfter(now);
  }

  /** Taken for one more attempt, held until {@code leaseUntil}. */
  public PendingAlert taken(Instant leaseUntil) {
    return new PendingAlert(sink, alert, queuedAt, attempts + 1, leaseUntil, lastProblem, false);
  }

  /** Failed with {@code problem}, due again at {@code nextAttempt}. */
  public PendingAlert retryAt(Instant nextAttempt, String problem) {
    return new PendingAlert(sink, alert, queuedAt, attempts, nextAttempt, problem, false);
  }

  /** Given up with {@code problem}. */
  public PendingAlert gaveUp(String problem) {
    return new PendingAlert(sink, alert, queuedAt, attempts, nextAttemptAt, problem, true);
  }

  /** Whether this entry is the one of {@code alertId} for {@code sinkName}. */
  public boolean is(String alertId, String sinkName) {
    return alert.id().equals(alertId) && sink.equals(sinkName);
  }
}
