package dev.tokenwatch.domain.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The outbox's bookkeeping in memory, for stores that keep their outbox as a whole (the in-memory
 * store; the file store replays its journal into one): entries by alert id and sink, in the order
 * they were queued. Not thread-safe: its store serialises calls.
 */
public final class OutboxBook {

  private static final Comparator<PendingAlert> OLDEST_FIRST =
      Comparator.comparing(PendingAlert::queuedAt).thenComparing(PendingAlert::alertId).thenComparing(PendingAlert::sink);

  private final Map<String, PendingAlert> entries = new LinkedHashMap<>();

  /** Queues the entries of {@code claim}. */
  public void queue(AlertClaim claim) {
    claim.entries().forEach(this::put);
  }

  /** Puts {@code entry} in, replacing the one of the same alert and sink. */
  public void put(PendingAlert entry) {
    entries.put(key(entry.alertId(), entry.sink()), entry);
  }

  /** See {@link dev.tokenwatch.domain.port.AlertOutbox#takeDue}. */
  public List<PendingAlert> takeDue(Set<String> sinks, Instant now, Instant leaseUntil, int max) {
    List<PendingAlert> due = new ArrayList<>();
    for (PendingAlert entry : entries.values()) {
      if (sinks.contains(entry.sink()) && entry.dueAt(now)) {
        due.add(entry);
      }
    }
    due.sort(OLDEST_FIRST);
    List<PendingAlert> taken = new ArrayList<>();
    for (PendingAlert entry : due.subList(0, Math.min(max, due.size()))) {
      PendingAlert held = entry.taken(leaseUntil);
      put(held);
      taken.add(held);
    }
    return taken;
  }

  /** Removes the entry; false if there was none. */
  public boolean delivered(String alertId, String sink) {
    return entries.remove(key(alertId, sink)) != null;
  }

  /** Marks a failed attempt; false if there was no such entry. */
  public boolean retryAt(String alertId, String sink, Instant nextAttempt, String problem) {
    return update(alertId, sink, e -> e.retryAt(nextAttempt, problem));
  }

  /** Gives the entry up; false if there was no such entry. */
  public boolean giveUp(String alertId, String sink, String problem) {
    return update(alertId, sink, e -> e.gaveUp(problem));
  }

  /** Every entry, oldest first. */
  public List<PendingAlert> undelivered() {
    List<PendingAlert> all = new ArrayList<>(entries.values());
    all.sort(OLDEST_FIRST);
    return all;
  }

  /** The entry of {@code alertId} for {@code sink}, or null. */
  public PendingAlert get(String alertId, String sink) {
    return entries.get(key(alertId, sink));
  }

  private boolean update(String alertId, String sink, UnaryOperator<PendingAlert> change) {
    String key = key(alertId, sink);
    PendingAlert entry = entries.get(key);
    if (entry == null) {
      return false;
    }
    entries.put(key, change.apply(entry));
    return true;
  }

  private static String key(String alertId, String sink) {
    return alertId + '\n' + sink;
  }
}
