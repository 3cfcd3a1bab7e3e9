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
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link UsageStore} in memory, for tests and for embedding where usage need not survive the
 * process. Thread-safe: each budget's state is guarded by its own lock.
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

  /** The totals of one model in one period, mutated under the budget's lock. */
  static final class MutableTotals {
    long input;
    long output;
    long cacheCreation;
    long cacheRead;
    long total;
    long calls;

    void add(TokenUsageEvent e, int sign, int callDelta) {
      input += sign * e.inputTokens();
      output += sign * e.outputTokens();
      cacheCreation += sign * e.cacheCreationTokens();
      cacheRead += sign * e.cacheReadTokens();
      total += sign * e.totalTokens();
      calls += callDelta;
    }

    ModelTotals snapshot(String model) {
      return new ModelTotals(model, input, output, cacheCreation, cacheRead, total, calls);
    }
  }

  /** One period of a budget: totals per model and their sum. */
  private static final class PeriodState {
    final Map<String, MutableTotals> models = new java.util.HashMap<>();
    long used;

    void add(TokenUsageEvent event, int sign, int callDelta) {
      MutableTotals totals = models.get(event.model());
      if (totals == null) {
        totals = new MutableTotals();
        models.put(event.model(), totals);
      }
      totals.add(event, sign, callDelta);
      used += sign * event.totalTokens();
    }
  }

  /** One budget's state. */
  private static final class BudgetState {
    final java.util.TreeMap<Instant, PeriodState> periods = new java.util.TreeMap<>();
    final Map<Instant, TreeSet<Double>> claims = new java.util.HashMap<>();
    /** De-duplication: request key to the event as counted. */
    final Map<Long, ChargedEvent> counted = new java.util.HashMap<>();
    final HistoryRing history = new HistoryRing();
    final String name;
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
        TokenUsageEvent event = charged.event();
        String requestId = event.requestId();
        if (requestId != null) {
          long key = RequestKeys.of(name, requestId);
          ChargedEvent earlier = counted.get(key);
          if (earlier != null) {
            if (event.totalTokens() <= earlier.event().totalTokens()) {
              duplicates++;
              continue;
            }
            period(earlier.periodStart()).add(earlier.event(), -1, -1);
            if (earlier.periodStart().equals(currentPeriodStart)) {
              currentDelta -= earlier.event().totalTokens();
            }
            history.remove(earlier);
            replaced++;
          } else {
            recorded++;
          }
          counted.put(key, charged);
        } else {
          recorded++;
        }
        period(charged.periodStart()).add(event, 1, 1);
        if (charged.periodStart().equals(currentPeriodStart)) {
          currentDelta += event.totalTokens();
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
      period.models.forEach((model, t) -> {
        if (t.calls > 0) {
          models.add(t.snapshot(model));
        }
      });
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
