package dev.tokenwatch.metrics.micrometer;

import dev.tokenwatch.domain.BatchResult;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which events of a tracked batch were recorded for the first time. The store reports only counts,
 * so this infers them: an event whose request id was tracked before (earlier in the batch, or in an
 * earlier event this binder saw) cannot have been recorded; if the rest number exactly the batch's
 * {@code recorded} count, they are the recorded ones. Otherwise (an id the ledger had from before
 * this binder) the batch is ambiguous and none is attributed.
 */
final class BatchAttribution {

  /** Request ids remembered, newest kept: far more than a follow run's batches ever straddle. */
  static final int REMEMBERED_IDS = 1 << 16;

  private final Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED_IDS;
    }
  };

  /** Notes an event tracked on its own: its id is in the ledger now, whatever the outcome. */
  synchronized void tracked(TokenUsageEvent event) {
    if (event.requestId() != null) {
      seen.put(event.requestId(), Boolean.TRUE);
    }
  }

  /**
   * The events of {@code events} that {@code result} counted for the first time, in order; empty if
   * that cannot be told.
   *
   * @param retainedFrom the store's retained start (null: everything), asked for only when the
   *     batch dropped events before it
   */
  synchronized List<TokenUsageEvent> recorded(List<TokenUsageEvent> events, BatchResult result,
      Supplier<Instant> retainedFrom) {
    if (result.recorded() == 0) {
      remember(events);
      return List.of();
    }
    List<TokenUsageEvent> candidates = new ArrayList<>(events.size());
    Set<String> inBatch = new HashSet<>();
    for (TokenUsageEvent event : events) {
      String id = event.requestId();
      if (id == null || (!seen.containsKey(id) && inBatch.add(id))) {
        candidates.add(event);
      }
    }
    remember(events);
    if (candidates.size() != result.recorded() && result.beforeRetention() > 0) {
      Instant from = retainedFrom.get();
      if (from != null) {
        candidates.removeIf(event -> event.timestamp().isBefore(from));
      }
    }
    return candidates.size() == result.recorded() ? candidates : List.of();
  }

  private void remember(List<TokenUsageEvent> events) {
    for (TokenUsageEvent event : events) {
      if (event.requestId() != null) {
        seen.put(event.requestId(), Boolean.TRUE);
      }
    }
  }
}
