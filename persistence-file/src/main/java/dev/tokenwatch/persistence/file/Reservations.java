package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationBook;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The open reservations of one generation, as every process sharing the directory sees them: a
 * {@link ReservationBook} filled by the journal's {@code Reserved} and {@code Settled} records (the
 * deciding process applies them as it writes them, the others when they catch up), so the book is
 * the same in every process that has caught up, except for reservations one of them already let
 * expire at its own {@code now}. Guarded by the in-process lock; every write runs under the
 * directory lock against the caught-up ledger.
 */
final class Reservations {

  private final ReservationBook book = new ReservationBook();
  /** The latest {@code now} a reservation operation of this process passed: compaction drops what expired by then. */
  private Instant latest = Instant.MIN;

  /** Takes over the clock of the generation before (a reload after a compaction). */
  void continueFrom(Reservations before) {
    latest = before.latest;
  }

  /**
   * Decides {@code request} against the held windows' kept totals (keeping, and journaling, a
   * window not kept yet from the ledger's figure) and the open reservations; journals it if granted.
   * A request whose id is open is refused with the book's exception, returned rather than thrown, so
   * that it fails the caller's call only and not the whole group being committed.
   */
  Object reserve(Ledger ledger, ReservationRequest request, Instant now, BinaryOut journal) {
    advance(now);
    List<Windows.Kept> seeded = new ArrayList<>(0);
    try {
      ReserveOutcome outcome = book.reserve(request, now, window -> totals(ledger, window, seeded));
      if (outcome.granted()) {
        JournalRecord.encode(journal, new JournalRecord.Reserved(request));
      }
      return outcome;
    } catch (IllegalArgumentException e) {
      return e;
    } finally {
      if (!seeded.isEmpty()) {
        List<JournalRecord.WindowTotals> kept = new ArrayList<>(seeded.size());
        for (Windows.Kept k : seeded) {
          int ref = ledger.windows.journalRef(k);
          kept.add(ref >= 0 ? JournalRecord.WindowTotals.ref(ref, k.totals)
              : JournalRecord.WindowTotals.full(k.key, k.start, k.end, k.scope, k.totals));
        }
        JournalRecord.encode(journal, new JournalRecord.Recorded(List.of(), kept));
      }
    }
  }

  private static Counts totals(Ledger ledger, BudgetWindow window, List<Windows.Kept> seeded) {
    Counts kept = ledger.windows.totals(window.key());
    if (kept == null) {
      kept = ledger.scan(window);
      seeded.add(ledger.windows.setTotals(window.key(), window.start(), window.end(), window.scope(), kept));
    }
    return kept;
  }

  /**
   * Ends reservation {@code id} and journals its end (also for an id this process let expire or
   * does not know: another process may still hold it open until its own clock passes its expiry).
   *
   * @return whether it was open and not expired at {@code now}
   */
  boolean settle(String id, Instant now, BinaryOut journal) {
    advance(now);
    JournalRecord.encode(journal, new JournalRecord.Settled(id));
    return book.settle(id, now);
  }

  OpenReservations held(BudgetWindow window, BudgetUnit unit, Instant now) {
    advance(now);
    return book.held(window, unit, now);
  }

  /** Applies a journaled reservation or end, as its writer did. */
  void replay(JournalRecord record) {
    if (record instanceof JournalRecord.Reserved r) {
      // The writer decided the id was free: if this process still has it open, it expired there.
      book.settle(r.request().id(), Instant.MIN);
      book.add(r.request());
    } else if (record instanceof JournalRecord.Settled s) {
      book.settle(s.id(), Instant.MIN);
    }
  }

  /**
   * The reservations to carry into the next generation's journal: the open ones not expired at the
   * latest {@code now} this process saw (settled ones are not in the book; expired ones end here).
   */
  List<ReservationRequest> carried() {
    book.expire(latest);
    return book.open();
  }

  /** How many reservations the book holds (some may have expired since the last operation). */
  int size() {
    return book.size();
  }

  private void advance(Instant now) {
    if (now.isAfter(latest)) {
      latest = now;
    }
  }
}
