package dev.tokenwatch.domain.memory;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.ModelTotals;
import dev.tokenwatch.domain.port.PeriodTotals;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.RequestKeys;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link UsageStore} in memory, for tests and for embedding where usage need not survive the
 * process. Thread-safe: each budget's state is guarded by its own lock. De-duplication keeps, per
 * request id, its 64-bit {@link RequestKeys key} and the counted token parts (about 100 bytes with
 * the map entry), never the id itself.
 */
public final class InMemoryUsageStore implements UsageStore {

  private final Map<String, BudgetState> budgets = new ConcurrentHashMap<>();

  private BudgetState state(String budget) {
    return budgets.computeIfAbsent(budget, BudgetState::new);
  }

  @Override
  public RecordResult record(String budget, Instant currentPeriodStart, List<ChargedEvent> events, int historySize) {
    BudgetState state = state(budget);
    synchronized (state) {
      return state.record(currentPeriodStart, events, historySize);
    }
  }

  @Override
  public boolean claimThreshold(String budget, Instant periodStart, double threshold) {
    BudgetState state = state(budget);
    synchronized (state) {
      TreeSet<Double> claimed = state.claims.computeIfAbsent(periodStart, p -> new TreeSet<>());
      if (!claimed.isEmpty() && claimed.last() >= threshold) {
        return false;
      }
      claimed.add(threshold);
      return true;
    }
  }

  @Override
  public SortedSet<Double> claimedThresholds(String budget, Instant periodStart) {
    BudgetState state = state(budget);
    synchronized (state) {
      TreeSet<Double> claimed = state.claims.get(periodStart);
      return claimed == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(claimed));
    }
  }

  @Override
  public PeriodTotals periodTotals(String budget, Instant periodStart) {
    BudgetState state = state(budget);
    synchronized (state) {
      return state.totalsOf(periodStart);
    }
  }

  @Override
  public List<PeriodTotals> periodTotalsBetween(String budget, Instant fromInclusive, Instant toExclusive) {
    BudgetState state = state(budget);
    synchronized (state) {
      List<PeriodTotals> result = new ArrayList<>();
      for (Instant start : state.periods.subMap(fromInclusive, true, toExclusive, false).keySet()) {
        PeriodTotals totals = state.totalsOf(start);
        if (!totals.models().isEmpty()) {
          result.add(totals);
        }
      }
      return result;
    }
  }

  @Override
  public List<TokenUsageEvent> history(String budget, int limit) {
    BudgetState state = state(budget);
    synchronized (state) {
      return state.history.newest(limit);
    }
  }

  @Override
  public void resetPeriod(String budget, Instant periodStart) {
    BudgetState state = state(budget);
    synchronized (state) {
      state.reset(periodStart);
    }
  }

  @Override
  public String toString() {
    return "InMemoryUsageStore[budgets=" + budgets.keySet() + "]";
  }

  /** The totals of one model in one period. */
  private static final class MutableTotals {
    final String model;
    long input;
    long output;
    long cacheCreation;
    long cacheRead;
    long total;
    long calls;

    MutableTotals(String model) {
      this.model = model;
    }

    ModelTotals snapshot() {
      return new ModelTotals(model, input, output, cacheCreation, cacheRead, total, calls);
    }
  }

  /** What de-duplication remembers of a counted event: where it was charged and its parts. */
  private record Counted(Instant periodStart, String model, long input, long output, long cacheCreation,
      long cacheRead, long total) {}

  /** One period of a budget: totals per model and their sum. */
  private static final class PeriodState {
    final Map<String, MutableTotals> models = new HashMap<>();
    long used;

    /**
     * Adds (sign 1) or removes (sign -1) one event's parts; returns the model name this period holds,
     * so de-duplication entries share it rather than keep each event's own copy.
     */
    String add(String model, long input, long output, long cacheCreation, long cacheRead, long total, int sign) {
      MutableTotals totals = models.get(model);
      if (totals == null) {
        totals = new MutableTotals(model);
        models.put(model, totals);
      }
      totals.input += sign * input;
      totals.output += sign * output;
      totals.cacheCreation += sign * cacheCreation;
      totals.cacheRead += sign * cacheRead;
      totals.total += sign * total;
      totals.calls += sign;
      used += sign * total;
      return totals.model;
    }
  }

  /** One budget's state. */
  private static final class BudgetState {
    final String name;
    final TreeMap<Instant, PeriodState> periods = new TreeMap<>();
    final Map<Instant, TreeSet<Double>> claims = new HashMap<>();
    final Map<Long, Counted> counted = new HashMap<>();
    final HistoryRing history = new HistoryRing();
    /** The period touched last: nearly every event goes to the same period as the one before. */
    Instant lastPeriodStart;
    PeriodState lastPeriod;

    BudgetState(String name) {
      this.name = name;
    }

    RecordResult record(Instant currentPeriodStart, List<ChargedEvent> events, int historySize) {
      history.ensureCapacity(historySize);
      int recorded = 0;
      int replaced = 0;
      int duplicates = 0;
      long currentDelta = 0;
      for (ChargedEvent charged : events) {
        TokenUsageEvent e = charged.event();
        String requestId = e.requestId();
        Long key = null;
        if (requestId != null) {
          key = RequestKeys.of(name, requestId);
          Counted earlier = counted.get(key);
          if (earlier != null) {
            if (e.totalTokens() <= earlier.total()) {
              duplicates++;
              continue;
            }
            period(earlier.periodStart()).add(earlier.model(), earlier.input(), earlier.output(),
                earlier.cacheCreation(), earlier.cacheRead(), earlier.total(), -1);
            if (earlier.periodStart().equals(currentPeriodStart)) {
              currentDelta -= earlier.total();
            }
            history.removeIf(h -> requestId.equals(h.event().requestId()));
            replaced++;
          } else {
            recorded++;
          }
        } else {
          recorded++;
        }
        String model = period(charged.periodStart()).add(e.model(), e.inputTokens(), e.outputTokens(),
            e.cacheCreationTokens(), e.cacheReadTokens(), e.totalTokens(), 1);
        if (key != null) {
          counted.put(key, new Counted(charged.periodStart(), model, e.inputTokens(), e.outputTokens(),
              e.cacheCreationTokens(), e.cacheReadTokens(), e.totalTokens()));
        }
        if (charged.periodStart().equals(currentPeriodStart)) {
          currentDelta += e.totalTokens();
        }
        history.add(charged);
      }
      return new RecordResult(usedIn(currentPeriodStart), recorded, replaced, duplicates, currentDelta);
    }

    private PeriodState period(Instant periodStart) {
      if (periodStart.equals(lastPeriodStart)) {
        return lastPeriod;
      }
      PeriodState period = periods.computeIfAbsent(periodStart, p -> new PeriodState());
      lastPeriodStart = periodStart;
      lastPeriod = period;
      return period;
    }

    private long usedIn(Instant periodStart) {
      PeriodState period = periodStart.equals(lastPeriodStart) ? lastPeriod : periods.get(periodStart);
      return period == null ? 0 : period.used;
    }

    PeriodTotals totalsOf(Instant periodStart) {
      PeriodState period = periods.get(periodStart);
      if (period == null) {
        return PeriodTotals.empty(periodStart);
      }
      List<ModelTotals> models = new ArrayList<>(period.models.size());
      for (MutableTotals t : period.models.values()) {
        if (t.calls > 0) {
          models.add(t.snapshot());
        }
      }
      return new PeriodTotals(periodStart, models);
    }

    void reset(Instant periodStart) {
      periods.remove(periodStart);
      claims.remove(periodStart);
      counted.values().removeIf(c -> c.periodStart().equals(periodStart));
      history.removeIf(c -> c.periodStart().equals(periodStart));
      lastPeriodStart = null;
      lastPeriod = null;
    }
  }
}
