package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.outbox.PendingAlert;
import dev.tokenwatch.domain.port.AlertOutbox;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The file store's {@link AlertOutbox}: each change is a write like a claim (under both locks, after
 * catching up with every process, journaled and forced before it returns), so a {@code takeDue} in
 * one process holds its entries against every other; the listing is a caught-up read. Arguments are
 * checked before the write, since a failure inside it would fail the whole group being committed.
 */
final class FileOutbox implements AlertOutbox {

  private final StoreAccess access;

  FileOutbox(StoreAccess access) {
    this.access = access;
  }

  @Override
  public List<PendingAlert> takeDue(Set<String> sinks, Instant now, Instant leaseUntil, int max) {
    Set<String> names = Set.copyOf(sinks);
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    if (max < 0) {
      throw new IllegalArgumentException("max must not be negative, got " + max);
    }
    if (max == 0 || names.isEmpty()) {
      return List.of();
    }
    return access.write((ledger, journal) -> ledger.outbox.takeDue(names, now, leaseUntil, max, journal));
  }

  @Override
  public void delivered(String alertId, String sink) {
    Objects.requireNonNull(alertId, "alertId");
    Objects.requireNonNull(sink, "sink");
    access.write((ledger, journal) -> {
      ledger.outbox.delivered(alertId, sink, journal);
      return null;
    });
  }

  @Override
  public void retryAt(String alertId, String sink, Instant nextAttempt, String problem) {
    Objects.requireNonNull(alertId, "alertId");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(nextAttempt, "nextAttempt");
    Objects.requireNonNull(problem, "problem");
    access.write((ledger, journal) -> {
      ledger.outbox.retryAt(alertId, sink, nextAttempt, problem, journal);
      return null;
    });
  }

  @Override
  public void giveUp(String alertId, String sink, String problem) {
    Objects.requireNonNull(alertId, "alertId");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(problem, "problem");
    access.write((ledger, journal) -> {
      ledger.outbox.giveUp(alertId, sink, problem, journal);
      return null;
    });
  }

  @Override
  public List<PendingAlert> undelivered() {
    return access.read(ledger -> ledger.outbox.entries());
  }
}
