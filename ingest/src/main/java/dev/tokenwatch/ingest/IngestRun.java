package dev.tokenwatch.ingest;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.ledger.Counts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The state of one ingest run, touched by the applying thread only, and its summary. */
final class IngestRun {

  final Map<String, OffsetStore.FileMark> marks;
  /** Every input file found in this run (and "-"). */
  final Set<String> seen = new HashSet<>();
  final List<MalformedLine> firstMalformed = new ArrayList<>();
  /**
   * Per file, the first line stamped in the future at the file's latest pass and the lines from
   * it on (follow mode reads such a file again at every poll: only the latest pass counts).
   */
  final Map<String, Pending> future = new TreeMap<>();
  final List<Alert> alerts = new ArrayList<>();
  final long startNanos;
  int filesRead;
  long lines;
  long bytes;
  long recorded;
  long replaced;
  long duplicates;
  long beforeRetention;
  /** The budget's totals per period before the run's first batch; null until one is applied. */
  Map<Instant, Counts> periodsBefore;
  /** Per model seen, whether the tracker's table prices it. */
  final Map<String, Boolean> priced = new HashMap<>();
  final TreeMap<String, Long> unpricedModels = new TreeMap<>();
  long nonUsage;
  long malformed;
  long chargedAtIngestTime;
  long bytesDone;
  long bytesTotal;
  /** Marks changed since they were last saved. */
  boolean dirty;
  long lastSaveNanos = System.nanoTime();

  /** @param startNanos when the run started ({@link System#nanoTime}) */
  IngestRun(Map<String, OffsetStore.FileMark> marks, long startNanos) {
    this.marks = marks;
    this.startNanos = startNanos;
  }

  /** {@link IngestSummary#noUsageLog()} of the run so far. */
  boolean noUsageLog() {
    long futureLines = future.values().stream().mapToLong(Pending::lines).sum();
    return IngestSummary.noUsageLog(seen.size(), recorded + replaced + duplicates + futureLines + beforeRetention,
        malformed, nonUsage);
  }

  /** A file's first line stamped in the future and the lines from it on. */
  record Pending(MalformedLine first, long lines) {}

  /** Adds the chunk's line counts (its events are counted once applied). */
  void count(Chunk chunk) {
    lines += chunk.lines;
    bytes += chunk.bytes;
    nonUsage += chunk.nonUsage;
    malformed += chunk.malformed;
    chargedAtIngestTime += chunk.chargedAtIngestTime;
    if (chunk.futureStop != null) {
      future.put(chunk.source.name, new Pending(chunk.futureStop, chunk.futureLines));
    } else if (chunk.last) {
      future.remove(chunk.source.name);
    }
    for (MalformedLine bad : chunk.malformedSamples) {
      if (firstMalformed.size() < IngestSummary.MAX_REPORTED_MALFORMED) {
        firstMalformed.add(bad);
      }
    }
  }

  /** What the run did, with the tokens it added per budget period (read from the ledger). */
  IngestSummary summary(TokenTracker tracker) {
    // a run that applied nothing changed no period: no scan of the ledger (the common re-ingest)
    Map<Instant, Counts> before = periodsBefore == null ? Map.of() : periodsBefore;
    Map<Instant, Counts> after = periodsBefore == null ? Map.of() : periodTotals(tracker);
    Instant currentStart = tracker.getCurrentPeriod().startInstant();
    TokenBudget budget = tracker.getBudget();
    Counts added = Counts.ZERO;
    List<IngestSummary.EarlierPeriod> earlier = new ArrayList<>();
    for (Map.Entry<Instant, Counts> period : after.entrySet()) {
      Counts delta = period.getValue().minus(before.getOrDefault(period.getKey(), Counts.ZERO));
      added = added.plus(delta);
      if (delta.totalTokens() > 0 && period.getKey().isBefore(currentStart)) {
        earlier.add(new IngestSummary.EarlierPeriod(period.getKey(), delta.totalTokens(),
            budget.measure(period.getValue()), budget.limit()));
      }
    }
    for (Map.Entry<Instant, Counts> period : before.entrySet()) {
      if (!after.containsKey(period.getKey())) {
        added = added.minus(period.getValue()); // a period emptied by replacements
      }
    }
    List<MalformedLine> firstFuture =
        future.values().stream().map(Pending::first).limit(IngestSummary.MAX_REPORTED_MALFORMED).toList();
    long futureLines = future.values().stream().mapToLong(Pending::lines).sum();
    return new IngestSummary(seen.size(), filesRead, lines, bytes, recorded, replaced, duplicates, nonUsage,
        malformed, firstMalformed, futureLines, firstFuture, chargedAtIngestTime, added, unpricedModels,
        Duration.ofNanos(System.nanoTime() - startNanos), alerts, tracker.getUsage(), earlier, beforeRetention);
  }

  /** The budget's totals per period over the whole ledger, by period start (sorted). */
  static Map<Instant, Counts> periodTotals(TokenTracker tracker) {
    Map<Instant, Counts> totals = new TreeMap<>();
    for (dev.tokenwatch.domain.ledger.UsageRow row : tracker.getPeriodTotals(null, null).rows()) {
      totals.put(row.start(), row.counts());
    }
    return totals;
  }
}
