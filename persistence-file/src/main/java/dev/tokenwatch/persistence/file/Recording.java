package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.persistence.file.JournalRecord.Numbered;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code record} call applied to the ledger: each event decided by the ledger, the windows'
 * totals carried along (a window without kept totals starts from the ledger's figure), and the
 * journal record that lets every other reader arrive at the same state: the events that changed the
 * ledger and the windows' totals after the batch. A batch that changed nothing writes nothing.
 */
final class Recording {

  private Recording() {}

  static RecordResult apply(Ledger ledger, List<TokenUsageEvent> batch, RequestKey[] keys, List<BudgetWindow> windows,
      BinaryOut journal) {
    int n = windows.size();
    Counts[] totals = new Counts[n];
    Counts[] deltas = new Counts[n];
    boolean seeded = false;
    for (int w = 0; w < n; w++) {
      Counts kept = ledger.windows.totals(windows.get(w).key());
      if (kept == null) {
        kept = ledger.scan(windows.get(w));
        seeded = true;
      }
      totals[w] = kept;
      deltas[w] = Counts.ZERO;
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
          if (n > 0) {
            TokenUsageEvent earlier = ledger.replacedEvent();
            Counts removed = Counts.of(earlier).negated();
            for (int w = 0; w < n; w++) {
              if (windows.get(w).charges(earlier)) {
                totals[w] = totals[w].plus(removed);
                deltas[w] = deltas[w].plus(removed);
              }
            }
          }
        }
        case RECORDED -> recorded++;
      }
      if (outcome == Ledger.Outcome.RECORDED || outcome == Ledger.Outcome.REPLACED) {
        effective.add(new Numbered(ledger.nextSeq() - 1, event));
        Counts added = Counts.of(event);
        for (int w = 0; w < n; w++) {
          if (windows.get(w).charges(event)) {
            totals[w] = totals[w].plus(added);
            deltas[w] = deltas[w].plus(added);
          }
        }
      }
    }
    List<JournalRecord.WindowTotals> after = new ArrayList<>(n);
    for (int w = 0; w < n; w++) {
      BudgetWindow window = windows.get(w);
      ledger.windows.setTotals(window.key(), window.start(), window.end(), totals[w]);
      after.add(new JournalRecord.WindowTotals(window.key(), window.start(), window.end(), totals[w]));
    }
    if (!effective.isEmpty() || seeded) {
      JournalRecord.encode(journal, new JournalRecord.Recorded(effective, after));
    }
    return new RecordResult(recorded, replaced, duplicates, beforeRetention, Arrays.asList(totals),
        Arrays.asList(deltas));
  }
}
