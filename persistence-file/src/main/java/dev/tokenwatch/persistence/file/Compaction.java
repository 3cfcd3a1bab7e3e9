package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.outbox.PendingAlert;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Writes the next generation from the ledger's state: the live events of the current events file and
 * of the tail into a new events file (dead ones, i.e. replaced, reset or before the retention
 * cutoff, are dropped here; blocks that cannot hold one are copied whole, checked but not decoded), the id index as a streaming merge of the current one (minus dead
 * entries) with the tail's ids, a journal holding only the open reservations and the outbox's
 * entries, and last the manifest naming them, which is the
 * commit point. Memory: the tail's ids sorted, and the sequence numbers of the dead events with a
 * request id; never the whole ledger.
 */
final class Compaction {

  private Compaction() {}

  /** Writes generation {@code next} of {@code ledger} into {@code directory} and returns its manifest. */
  static Manifest write(Path directory, UUID storeId, long next, Ledger ledger) throws IOException {
    long[][] dead = {new long[64]};
    int[] deadCount = {0};
    EventsFile.Summary[] eventsSummary = new EventsFile.Summary[1];
    List<Ledger.Recent> tail = ledger.liveTail();
    StoreFiles.replaceAtomically(directory.resolve(EventsFile.fileName(next)), out -> {
      EventsFile.Writer writer = new EventsFile.Writer(out, next);
      long[] superseded = ledger.supersededSorted();
      boolean sameLayout = ledger.events().version() == EventsFile.VERSION;
      try {
        ledger.events().copyInto(writer,
            (first, last, min, max) -> !ledger.mayHoldDead(first, last, min, max, superseded), (s, raw, from, to) -> {
              if (ledger.isDead(s)) {
                if (s.hasRequestId()) {
                  if (deadCount[0] == dead[0].length) {
                    dead[0] = Arrays.copyOf(dead[0], dead[0].length * 2);
                  }
                  dead[0][deadCount[0]++] = s.seq; // ascending: the file is in sequence order
                }
                return;
              }
              try {
                if (sameLayout) {
                  writer.add(raw, from, to, s.seq, s.second);
                } else {
                  writer.add(s.seq, s.toEvent()); // an older layout: written again in the current one
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e); // unwrapped below: the visitor may throw only FormatProblem
              }
            });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      for (Ledger.Recent n : tail) {
        writer.add(n.seq(), n.event());
      }
      eventsSummary[0] = writer.finish();
    });

    List<long[]> recent = new ArrayList<>();
    for (Ledger.Recent n : tail) {
      TokenUsageEvent e = n.event();
      if (e.requestId() != null) {
        RequestKey key = n.key(); // computed when the event was recorded
        recent.add(new long[] {key.high(), key.low(), n.seq(), e.totalTokens(), e.timestamp().getEpochSecond(),
            e.timestamp().getNano()});
      }
    }
    recent.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    long[] deadSeqs = Arrays.copyOf(dead[0], deadCount[0]);
    IdIndex.Summary[] idsSummary = new IdIndex.Summary[1];
    StoreFiles.replaceAtomically(directory.resolve(IdIndex.fileName(next)), out -> {
      IdIndex.Writer writer = new IdIndex.Writer(out, next, ledger.ids().entries() + recent.size());
      IdIndex.Cursor old = ledger.ids().cursor();
      boolean more = advanceLive(old, deadSeqs);
      int r = 0;
      while (more || r < recent.size()) {
        long[] mine = r < recent.size() ? recent.get(r) : null;
        int c = !more ? 1 : mine == null ? -1 : compare(old.high, old.low, mine[0], mine[1]);
        if (c == 0) {
          throw new IllegalStateException("two live events share request key " + Long.toHexString(mine[0])
              + Long.toHexString(mine[1]) + " (events " + old.seq + " and " + mine[2] + ")");
        }
        if (c < 0) {
          writer.add(old.high, old.low, old.seq, old.total, old.second, old.nano);
          more = advanceLive(old, deadSeqs);
        } else {
          writer.add(mine[0], mine[1], mine[2], mine[3], mine[4], (int) mine[5]);
          r++;
        }
      }
      idsSummary[0] = writer.finish();
    });
    // Open reservations go on in the next journal (reservations are not in the manifest: they change
    // with nearly every call, and a journal record is how every process learns of them anyway).
    BinaryOut carried = new BinaryOut(256);
    for (ReservationRequest open : ledger.reservations.carried()) {
      JournalRecord.encode(carried, new JournalRecord.Reserved(open));
    }
    // So do the outbox's entries not delivered (given-up ones too: status and doctor list them);
    // delivered ones are gone from the book, so their records end with the old journal.
    for (PendingAlert entry : ledger.outbox.entries()) {
      JournalRecord.encode(carried, new JournalRecord.Pending(entry));
    }
    Journal.create(directory.resolve(Manifest.journalName(next)), next, storeId, carried);
    Manifest manifest = Manifest.of(storeId.toString(), next, ledger.nextSeq(), ledger.retainedFrom(),
        eventsSummary[0], idsSummary[0], ledger.windows.all());
    StoreFiles.replaceAtomically(directory.resolve(Manifest.NAME), manifest::write);
    return manifest;
  }

  private static boolean advanceLive(IdIndex.Cursor cursor, long[] deadSeqs) {
    while (cursor.advance()) {
      if (Arrays.binarySearch(deadSeqs, cursor.seq) < 0) {
        return true;
      }
    }
    return false;
  }

  private static int compare(long h1, long l1, long h2, long l2) {
    int c = Long.compare(h1, h2);
    return c != 0 ? c : Long.compare(l1, l2);
  }
}
