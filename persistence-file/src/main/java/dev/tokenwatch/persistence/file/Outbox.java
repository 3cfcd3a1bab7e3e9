package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.outbox.OutboxBook;
import dev.tokenwatch.domain.outbox.PendingAlert;
import dev.tokenwatch.persistence.file.JournalRecord.Entry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The alert outbox of one generation, as every process sharing the directory sees it: an {@link
 * OutboxBook} filled by the journal (a won claim's {@code Claimed} record queues its entries; {@code
 * Taken}, {@code Delivered}, {@code Retried} and {@code GaveUp} change them; compaction carries every
 * entry left as a {@code Pending} record). Each operation is applied by the process that decides it
 * as it journals it, and by the others when they catch up, so every caught-up process holds the same
 * book; a takeDue under the directory lock therefore excludes every other taker until the lease ends.
 * An operation on an entry that is not there changes nothing and journals nothing. Guarded by the
 * store's locks.
 */
final class Outbox {

  private final OutboxBook book = new OutboxBook();

  /** Queues the entries of a won claim (the claim's record carries them). */
  void queue(AlertClaim claim) {
    book.queue(claim);
  }

  List<PendingAlert> takeDue(Set<String> sinks, Instant now, Instant leaseUntil, int max, BinaryOut journal) {
    List<PendingAlert> taken = book.takeDue(sinks, now, leaseUntil, max);
    if (!taken.isEmpty()) {
      List<Entry> entries = new ArrayList<>(taken.size());
      for (PendingAlert e : taken) {
        entries.add(new Entry(e.alertId(), e.sink()));
      }
      JournalRecord.encode(journal, new JournalRecord.Taken(leaseUntil, entries));
    }
    return taken;
  }

  void delivered(String alertId, String sink, BinaryOut journal) {
    if (book.delivered(alertId, sink)) {
      JournalRecord.encode(journal, new JournalRecord.Delivered(new Entry(alertId, sink)));
    }
  }

  void retryAt(String alertId, String sink, Instant nextAttempt, String problem, BinaryOut journal) {
    if (book.retryAt(alertId, sink, nextAttempt, problem)) {
      JournalRecord.encode(journal, new JournalRecord.Retried(new Entry(alertId, sink), nextAttempt, problem));
    }
  }

  void giveUp(String alertId, String sink, String problem, BinaryOut journal) {
    if (book.giveUp(alertId, sink, problem)) {
      JournalRecord.encode(journal, new JournalRecord.GaveUp(new Entry(alertId, sink), problem));
    }
  }

  /** Every entry, given up ones included, oldest first: what {@code undelivered()} lists and compaction carries. */
  List<PendingAlert> entries() {
    return book.undelivered();
  }

  /**
   * Applies a journaled outbox operation as its writer did. Its writer found the entry, in the same
   * state this replay has reached; one that is missing means the journal does not belong here.
   */
  void replay(JournalRecord record) throws FormatProblem {
    if (record instanceof JournalRecord.Taken t) {
      for (Entry e : t.entries()) {
        book.put(existing(e).taken(t.leaseUntil()));
      }
    } else if (record instanceof JournalRecord.Delivered d) {
      existing(d.entry());
      book.delivered(d.entry().alertId(), d.entry().sink());
    } else if (record instanceof JournalRecord.Retried r) {
      existing(r.entry());
      book.retryAt(r.entry().alertId(), r.entry().sink(), r.nextAttempt(), r.problem());
    } else if (record instanceof JournalRecord.GaveUp g) {
      existing(g.entry());
      book.giveUp(g.entry().alertId(), g.entry().sink(), g.problem());
    } else if (record instanceof JournalRecord.Pending p) {
      book.put(p.entry());
    }
  }

  private PendingAlert existing(Entry e) throws FormatProblem {
    PendingAlert entry = book.get(e.alertId(), e.sink());
    if (entry == null) {
      throw new FormatProblem("outbox entry of alert " + e.alertId() + " for sink " + e.sink() + " is not queued");
    }
    return entry;
  }
}
