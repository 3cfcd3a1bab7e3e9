package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.ModelTotals;
import dev.tokenwatch.domain.port.PeriodTotals;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.RequestKeys;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One budget's state in memory. Not thread-safe: the store touches it only while holding its
 * locks. Every mutation here is deterministic given the journal record that describes it, so
 * replaying the journal rebuilds exactly the state a live process holds.
 */
final class BudgetState {

  /** Totals of one model in one period. */
  static final class Totals {
    long input;
    long output;
    long cacheCreation;
    long cacheRead;
    long total;
    long calls;

    ModelTotals toModelTotals(String model) {
      return new ModelTotals(model, input, output, cacheCreation, cacheRead, total, calls);
    }
  }

  /** Totals per model and claimed thresholds of one period. */
  static final class Period {
    final Instant start;
    final Map<String, Totals> models = new HashMap<>();
    final TreeSet<Double> claims = new TreeSet<>();

    Period(Instant start) {
      this.start = start;
    }

    Totals totals(String model) {
      return models.computeIfAbsent(model, m -> new Totals());
    }

    long used() {
      long used = 0;
      for (Totals t : models.values()) {
        used += t.total;
      }
      return used;
    }

    PeriodTotals toPeriodTotals() {
      List<ModelTotals> list = new ArrayList<>(models.size());
      models.forEach((model, t) -> {
        if (t.calls > 0) {
          list.add(t.toModelTotals(model));
        }
      });
      return new PeriodTotals(start, list);
    }
  }

  /**
   * The parts of the event counted for one request key: what a replacement subtracts. The period
   * start is the {@link Period#start} instance, so thousands of entries share one object.
   */
  record Counted(Instant period, String model, long input, long output, long cacheCreation, long cacheRead,
      long total) {

    /** In {@link #recent}: the key's entry in {@link #stored} was removed by a reset. Compared by identity. */
    static final Counted REMOVED = new Counted(Instant.EPOCH, "", 0, 0, 0, 0, 0);

    static Counted of(Instant period, TokenUsageEvent e) {
      return new Counted(period, e.model(), e.inputTokens(), e.outputTokens(), e.cacheCreationTokens(),
          e.cacheReadTokens(), e.totalTokens());
    }
  }

  final String name;
  final TreeMap<Instant, Period> periods = new TreeMap<>();
  /**
   * De-duplication entries ({@link RequestKeys} key to the event as counted) changed since the
   * snapshot; {@link #REMOVED} hides an entry of {@link #stored}. Compaction merges them into the
   * next generation's file, so this holds at most one journal's worth of entries.
   */
  final HashMap<Long, Counted> recent = new HashMap<>();
  /** The snapshot's de-duplication entries, on disk; null if it has none (a new or migrated budget). */
  DedupFile.Section stored;
  /** Periods reset since the snapshot: entries of {@link #stored} in them no longer count. */
  final Set<Instant> droppedPeriods = new HashSet<>();
  /** The newest events, oldest first, at most {@link #historyCapacity}. */
  final ArrayDeque<ChargedEvent> history = new ArrayDeque<>();
  int historyCapacity;

  BudgetState(String name) {
    this.name = name;
  }

  Period period(Instant start) {
    Period p = periods.get(start);
    if (p == null) {
      p = new Period(start);
      periods.put(start, p);
    }
    return p;
  }

  /**
   * Applies {@code events}; the ones that changed anything (counted or replaced) are added to
   * {@code effective}, which is exactly what the journal must hold to replay this call. Nothing is
   * changed (not even the history size) when no event is effective, so a batch of duplicates needs
   * no journal record.
   *
   * @param currentPeriodStart the period to report on; may be null when replaying
   */
  RecordResult record(Instant currentPeriodStart, List<ChargedEvent> events, int historySize,
      List<ChargedEvent> effective) {
    int recorded = 0;
    int replaced = 0;
    int duplicates = 0;
    long currentDelta = 0;
    boolean resized = false;
    for (ChargedEvent charged : events) {
      TokenUsageEvent event = charged.event();
      String requestId = event.requestId();
      Period target;
      if (requestId != null) {
        long key = RequestKeys.of(name, requestId);
        Counted earlier = lookup(key);
        if (earlier != null) {
          if (event.totalTokens() <= earlier.total()) {
            duplicates++;
            continue;
          }
          Totals old = period(earlier.period()).totals(earlier.model());
          old.input -= earlier.input();
          old.output -= earlier.output();
          old.cacheCreation -= earlier.cacheCreation();
          old.cacheRead -= earlier.cacheRead();
          old.total -= earlier.total();
          old.calls--;
          if (earlier.period().equals(currentPeriodStart)) {
            currentDelta -= earlier.total();
          }
          removeFromHistory(requestId);
          replaced++;
        } else {
          recorded++;
        }
        target = period(charged.periodStart());
        recent.put(key, Counted.of(target.start, event));
      } else {
        recorded++;
        target = period(charged.periodStart());
      }
      if (!resized) {
        resizeHistory(historySize);
        resized = true;
      }
      Totals t = target.totals(event.model());
      t.input += event.inputTokens();
      t.output += event.outputTokens();
      t.cacheCreation += event.cacheCreationTokens();
      t.cacheRead += event.cacheReadTokens();
      t.total += event.totalTokens();
      t.calls++;
      if (target.start.equals(currentPeriodStart)) {
        currentDelta += event.totalTokens();
      }
      addToHistory(target.start == charged.periodStart() ? charged : new ChargedEvent(event, target.start));
      if (effective != null) {
        effective.add(charged);
      }
    }
    long used = 0;
    if (currentPeriodStart != null) {
      Period current = periods.get(currentPeriodStart);
      used = current == null ? 0 : current.used();
    }
    return new RecordResult(used, recorded, replaced, duplicates, currentDelta);
  }

  private void resizeHistory(int capacity) {
    historyCapacity = capacity;
    while (history.size() > capacity) {
      history.removeFirst();
    }
  }

  private void addToHistory(ChargedEvent charged) {
    if (historyCapacity == 0) {
      return;
    }
    if (history.size() == historyCapacity) {
      history.removeFirst();
    }
    history.addLast(charged);
  }

  private void removeFromHistory(String requestId) {
    // A request id appears at most once in the history: a replacement removes the earlier entry.
    Iterator<ChargedEvent> it = history.descendingIterator();
    while (it.hasNext()) {
      if (requestId.equals(it.next().event().requestId())) {
        it.remove();
        return;
      }
    }
  }

  /** Claims {@code threshold}: true unless it or a higher one was claimed in the period. */
  boolean claim(Instant periodStart, double threshold) {
    TreeSet<Double> claims = period(periodStart).claims;
    if (!claims.isEmpty() && claims.last() >= threshold) {
      return false;
    }
    claims.add(threshold);
    return true;
  }

  SortedSet<Double> claimed(Instant periodStart) {
    Period p = periods.get(periodStart);
    return p == null || p.claims.isEmpty()
        ? Collections.emptySortedSet()
        : Collections.unmodifiableSortedSet(new TreeSet<>(p.claims));
  }

  PeriodTotals totals(Instant periodStart) {
    Period p = periods.get(periodStart);
    return p == null ? PeriodTotals.empty(periodStart) : p.toPeriodTotals();
  }

  List<PeriodTotals> totalsBetween(Instant fromInclusive, Instant toExclusive) {
    List<PeriodTotals> result = new ArrayList<>();
    if (fromInclusive.isBefore(toExclusive)) {
      for (Period p : periods.subMap(fromInclusive, true, toExclusive, false).values()) {
        PeriodTotals totals = p.toPeriodTotals();
        if (!totals.models().isEmpty()) {
          result.add(totals);
        }
      }
    }
    return result;
  }

  List<TokenUsageEvent> newestHistory(int limit) {
    int n = Math.max(0, Math.min(limit, history.size()));
    TokenUsageEvent[] newest = new TokenUsageEvent[n];
    Iterator<ChargedEvent> it = history.descendingIterator();
    for (int i = n - 1; i >= 0; i--) {
      newest[i] = it.next().event();
    }
    return List.of(newest);
  }

  /** Clears the period: totals, claims, counted request ids and history entries. */
  void reset(Instant periodStart) {
    periods.remove(periodStart);
    Iterator<Map.Entry<Long, Counted>> it = recent.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Counted> e = it.next();
      if (e.getValue() != Counted.REMOVED && e.getValue().period().equals(periodStart)) {
        // This entry may have replaced one in the file (of another period), which must stay gone.
        if (liveStored(e.getKey()) != null) {
          e.setValue(Counted.REMOVED);
        } else {
          it.remove();
        }
      }
    }
    if (stored != null) {
      droppedPeriods.add(periodStart);
    }
    history.removeIf(c -> c.periodStart().equals(periodStart));
  }

  /** The entry of {@code key} as counted, or null if the request id was not counted (or was reset). */
  Counted lookup(long key) {
    Counted c = recent.get(key);
    if (c != null) {
      return c == Counted.REMOVED ? null : c;
    }
    return liveStored(key);
  }

  private Counted liveStored(long key) {
    if (stored == null) {
      return null;
    }
    Counted c = stored.find(key);
    return c == null || !storedEntryLive(c) ? null : c;
  }

  /** Whether an entry of {@link #stored} still counts (its period was not reset since the snapshot). */
  boolean storedEntryLive(Counted c) {
    return !droppedPeriods.contains(c.period());
  }
}
