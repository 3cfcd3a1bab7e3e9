package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.persistence.file.JournalRecord.Numbered;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code record} call applied to the ledger: each event decided by the ledger and charged to
 * every window that charges it, the named ones (a window without kept totals starts from the
 * ledger's figure) and every other kept one, and the journal record that lets every other reader
 * arrive at the same state: the events that changed the ledger and the totals after the batch of
 * the named windows and of the kept windows it changed. A batch that changed nothing writes nothing.
 *
 * <p>Kept windows are taken in as the batch reaches back in time: those ending after the earliest
 * event (or replaced record) seen so far, so years of past periods cost nothing. A window taken in
 * late counted none of the batch's earlier events: they all lie at or after its end.
 */
final class Recording {

  /** A window the batch may charge, with its totals before the batch and what the batch changed in them. */
  private static final class Charged {
    final String key;
    final Instant start;
    final Instant end;
    final UsageFilter scope;
    final Counts before;
    Counts delta = Counts.ZERO;

    Charged(String key, Instant start, Instant end, UsageFilter scope, Counts before) {
      this.key = key;
      this.start = start;
      this.end = end;
      this.scope = scope;
      this.before = before;
    }

    boolean contains(Instant at) {
      return !at.isBefore(start) && at.isBefore(end);
    }

    void charge(TokenUsageEvent event, Counts counts) {
      if (contains(event.timestamp()) && scope.matches(event)) {
        delta = delta.plus(counts);
      }
    }
  }

  private final Ledger ledger;
  private final int named;
  private final List<Charged> charged;
  /** Every kept window ending after this is in {@link #charged}; null: none but the named yet. */
  private Instant reached;

  private Recording(Ledger ledger, List<BudgetWindow> windows) {
    this.ledger = ledger;
    this.named = windows.size();
    this.charged = new ArrayList<>(named + 4);
  }

  static RecordResult apply(Ledger ledger, List<TokenUsageEvent> batch, RequestKey[] keys, List<BudgetWindow> windows,
      BinaryOut journal) {
    return new Recording(ledger, windows).run(batch, keys, windows, journal);
  }

  private RecordResult run(List<TokenUsageEvent> batch, RequestKey[] keys, List<BudgetWindow> windows,
      BinaryOut journal) {
    boolean seeded = false;
    for (BudgetWindow window : windows) {
      Counts kept = ledger.windows.totals(window.key());
      if (kept == null) {
        kept = ledger.scan(window);
        seeded = true;
      }
      charged.add(new Charged(window.key(), window.start(), window.end(), window.scope(), kept));
    }
    int recorded = 0;
    int replaced = 0;
    int duplicates = 0;
    int beforeRetention = 0;
    List<Numbered> effective = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      TokenUsageEvent event = batch.get(i);
      Ledger.Outcome outcome = ledger.record(event, keys[i]);
      switch (outcome) {
        case DUPLICATE -> duplicates++;
        case BEFORE_RETENTION -> beforeRetention++;
        case REPLACED -> {
          replaced++;
          takeOut(ledger.replacedAt());
        }
        case RECORDED -> recorded++;
      }
      if (outcome == Ledger.Outcome.RECORDED || outcome == Ledger.Outcome.REPLACED) {
        effective.add(new Numbered(ledger.nextSeq() - 1, event));
        reach(event.timestamp());
        Counts added = Counts.of(event);
        for (Charged c : charged) {
          c.charge(event, added);
        }
      }
    }
    boolean write = !effective.isEmpty() || seeded;
    List<JournalRecord.WindowTotals> after = new ArrayList<>(charged.size());
    List<Counts> totals = new ArrayList<>(named);
    List<Counts> deltas = new ArrayList<>(named);
    for (int w = 0; w < charged.size(); w++) {
      Charged c = charged.get(w);
      Counts now = c.delta.isZero() ? c.before : c.before.plus(c.delta);
      if (w < named) {
        totals.add(now);
        deltas.add(c.delta);
      } else if (c.delta.isZero()) {
        continue; // a kept window the batch did not change: its totals stay as journaled
      }
      Windows.Kept kept = ledger.windows.setTotals(c.key, c.start, c.end, c.scope, now);
      if (write) {
        int ref = ledger.windows.journalRef(kept);
        after.add(ref >= 0 ? JournalRecord.WindowTotals.ref(ref, now)
            : JournalRecord.WindowTotals.full(c.key, c.start, c.end, c.scope, now));
      }
    }
    if (write) {
      JournalRecord.encode(journal, new JournalRecord.Recorded(effective, after));
    }
    return new RecordResult(recorded, replaced, duplicates, beforeRetention, totals, deltas);
  }

  /** Takes the event just replaced out of every window that counted it (reading it only if one may have). */
  private void takeOut(Instant at) {
    reach(at);
    for (Charged c : charged) {
      if (c.contains(at)) {
        TokenUsageEvent earlier = ledger.replacedEvent();
        Counts removed = Counts.of(earlier).negated();
        for (Charged d : charged) {
          d.charge(earlier, removed);
        }
        return;
      }
    }
  }

  /** Takes in the kept windows not named that end after {@code at} and are not in yet. */
  private void reach(Instant at) {
    if (reached != null && !at.isBefore(reached)) {
      return;
    }
    List<Windows.Kept> ending = new ArrayList<>();
    ledger.windows.endingIn(at, reached, ending);
    reached = at;
    for (Windows.Kept kept : ending) {
      if (!isNamed(kept.key)) {
        charged.add(new Charged(kept.key, kept.start, kept.end, kept.scope, kept.totals));
      }
    }
  }

  private boolean isNamed(String key) {
    for (int w = 0; w < named; w++) {
      if (charged.get(w).key.equals(key)) {
        return true;
      }
    }
    return false;
  }
}
