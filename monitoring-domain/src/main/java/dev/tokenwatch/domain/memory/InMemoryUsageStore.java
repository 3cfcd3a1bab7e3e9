package dev.tokenwatch.domain.memory;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.RequestRule;
import dev.tokenwatch.domain.ledger.UsageAggregator;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A {@link UsageStore} in memory, for tests and for embedding where usage need not survive the
 * process. It keeps every event (a few hundred bytes each: use {@link #dropBefore} in a long-running
 * process that records millions) and answers queries by scanning them. Thread-safe: one lock guards
 * the whole store, so every operation is atomic.
 */
public final class InMemoryUsageStore implements UsageStore {

  /** Every counted event by the order it was written in. */
  private final LinkedHashMap<Long, TokenUsageEvent> events = new LinkedHashMap<>();
  private final Map<String, Long> byRequestId = new HashMap<>();
  private final Map<BudgetWindow, Counts> windowTotals = new HashMap<>();
  private final Map<BudgetWindow, TreeSet<Double>> claims = new HashMap<>();
  private long nextSequence;
  private Instant retainedFrom;

  @Override
  public synchronized RecordResult record(List<TokenUsageEvent> batch, List<BudgetWindow> windows) {
    Counts[] totals = new Counts[windows.size()];
    Counts[] deltas = new Counts[windows.size()];
    for (int w = 0; w < totals.length; w++) {
      totals[w] = windowTotals.computeIfAbsent(windows.get(w), this::scan);
      deltas[w] = Counts.ZERO;
    }
    int recorded = 0;
    int replaced = 0;
    int duplicates = 0;
    int beforeRetention = 0;
    for (TokenUsageEvent event : batch) {
      if (retainedFrom != null && event.timestamp().isBefore(retainedFrom)) {
        beforeRetention++;
        continue;
      }
      Long earlierSequence = event.requestId() == null ? null : byRequestId.get(event.requestId());
      TokenUsageEvent earlier = earlierSequence == null ? null : events.get(earlierSequence);
      switch (RequestRule.decide(earlier == null ? -1 : earlier.totalTokens(), event)) {
        case DUPLICATE -> {
          duplicates++;
          continue;
        }
        case REPLACE -> {
          events.remove(earlierSequence);
          Counts removed = Counts.of(earlier).negated();
          for (int w = 0; w < totals.length; w++) {
            if (windows.get(w).charges(earlier)) {
              totals[w] = totals[w].plus(removed);
              deltas[w] = deltas[w].plus(removed);
            }
          }
          replaced++;
        }
        case RECORD -> recorded++;
      }
      long sequence = nextSequence++;
      events.put(sequence, event);
      if (event.requestId() != null) {
        byRequestId.put(event.requestId(), sequence);
      }
      Counts added = Counts.of(event);
      for (int w = 0; w < totals.length; w++) {
        if (windows.get(w).charges(event)) {
          totals[w] = totals[w].plus(added);
          deltas[w] = deltas[w].plus(added);
        }
      }
    }
    for (int w = 0; w < totals.length; w++) {
      windowTotals.put(windows.get(w), totals[w]);
    }
    return new RecordResult(recorded, replaced, duplicates, beforeRetention, List.of(totals), List.of(deltas));
  }

  @Override
  public synchronized Counts windowTotals(BudgetWindow window) {
    Counts kept = windowTotals.get(window);
    return kept != null ? kept : scan(window);
  }

  private Counts scan(BudgetWindow window) {
    Counts sum = Counts.ZERO;
    for (TokenUsageEvent event : events.values()) {
      if (window.charges(event)) {
        sum = sum.plus(Counts.of(event));
      }
    }
    return sum;
  }

  @Override
  public synchronized boolean claimThreshold(BudgetWindow window, double threshold) {
    TreeSet<Double> claimed = claims.computeIfAbsent(window, w -> new TreeSet<>());
    if (!claimed.isEmpty() && claimed.last() >= threshold) {
      return false;
    }
    claimed.add(threshold);
    return true;
  }

  @Override
  public synchronized SortedSet<Double> claimedThresholds(BudgetWindow window) {
    TreeSet<Double> claimed = claims.get(window);
    return claimed == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(claimed));
  }

  @Override
  public synchronized UsageAnswer query(UsageQuery query) {
    UsageAggregator aggregator = new UsageAggregator(query);
    for (TokenUsageEvent event : events.values()) {
      aggregator.offer(event);
    }
    boolean before = retainedFrom != null && (query.from() == null || query.from().isBefore(retainedFrom));
    return new UsageAnswer(aggregator.rows(), retainedFrom, before);
  }

  @Override
  public synchronized List<TokenUsageEvent> history(UsageFilter filter, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    // the latest by timestamp, ties by the order of writing: a heap holding the `limit` latest
    Comparator<Map.Entry<Long, TokenUsageEvent>> order = Comparator
        .comparing((Map.Entry<Long, TokenUsageEvent> e) -> e.getValue().timestamp())
        .thenComparing(Map.Entry::getKey);
    PriorityQueue<Map.Entry<Long, TokenUsageEvent>> latest = new PriorityQueue<>(order);
    for (Map.Entry<Long, TokenUsageEvent> entry : events.entrySet()) {
      if (filter.matches(entry.getValue())) {
        latest.add(entry);
        if (latest.size() > limit) {
          latest.poll();
        }
      }
    }
    List<Map.Entry<Long, TokenUsageEvent>> sorted = new ArrayList<>(latest);
    sorted.sort(order);
    return sorted.stream().map(Map.Entry::getValue).toList();
  }

  @Override
  public synchronized void resetWindow(BudgetWindow window) {
    removeEvents(window::charges);
    claims.remove(window);
    windowTotals.keySet().removeIf(kept -> kept.overlaps(window.start(), window.end()));
  }

  @Override
  public synchronized void dropBefore(Instant cutoff) {
    if (retainedFrom != null && !cutoff.isAfter(retainedFrom)) {
      return;
    }
    removeEvents(event -> event.timestamp().isBefore(cutoff));
    retainedFrom = cutoff;
  }

  @Override
  public synchronized Instant retainedFrom() {
    return retainedFrom;
  }

  private void removeEvents(java.util.function.Predicate<TokenUsageEvent> which) {
    Iterator<TokenUsageEvent> it = events.values().iterator();
    while (it.hasNext()) {
      TokenUsageEvent event = it.next();
      if (which.test(event)) {
        it.remove();
        if (event.requestId() != null) {
          byRequestId.remove(event.requestId());
        }
      }
    }
  }

  @Override
  public synchronized String toString() {
    return "InMemoryUsageStore[events=" + events.size() + "]";
  }
}
