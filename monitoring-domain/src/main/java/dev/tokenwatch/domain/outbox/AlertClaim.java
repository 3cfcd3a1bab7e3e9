package dev.tokenwatch.domain.outbox;

import dev.tokenwatch.domain.Alert;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a successful threshold claim puts into the store's outbox, in the same atomic step: {@code
 * alert}, once for each of {@code sinks}, held by the claiming process until {@code leaseUntil} (it
 * delivers them at once; other processes take them only if it has not delivered them by then).
 *
 * @param alert the alert raised by the claim
 * @param sinks the names of the sinks to deliver it to ({@link AlertDelivery#sinkNames()})
 * @param leaseUntil until when the claiming process alone may deliver them
 */
public record AlertClaim(Alert alert, List<String> sinks, Instant leaseUntil) {

  public AlertClaim {
    Objects.requireNonNull(alert, "alert");
    sinks = List.copyOf(sinks);
    Objects.requireNonNull(leaseUntil, "leaseUntil");
  }

  /** The outbox entries of this claim, one per sink, as taken by the claimer (one attempt). */
  public List<PendingAlert> entries() {
    return sinks.stream().map(sink -> PendingAlert.queued(sink, alert, leaseUntil)).toList();
  }
}
