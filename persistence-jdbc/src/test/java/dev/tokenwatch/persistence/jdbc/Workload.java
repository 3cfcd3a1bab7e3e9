package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The workload of one writer in the several-instances tests, shared by threads and child JVMs:
 * records {@code count} events of {@link #TOKENS} tokens with ids unique to the writer (every tenth
 * call a batch of three), records each of {@link #SHARED_IDS} ids that every writer also records
 * (counted once in all), and after every call claims, in ascending order, each threshold the
 * returned total has reached.
 */
final class Workload {

  static final String BUDGET = "shared";
  static final Instant PERIOD = Instant.parse("2026-03-01T00:00:00Z");
  static final long TOKENS = 10;
  static final int SHARED_IDS = 20;
  static final double[] THRESHOLDS = {0.5, 0.7, 0.8, 1.0};

  private Workload() {}

  /** Tokens all {@code writers} together charge. */
  static long expectedTotal(int writers, int count) {
    return (writers * (long) count + SHARED_IDS) * TOKENS;
  }

  /** Runs one writer; returns the thresholds it won. */
  static List<Double> run(UsageStore store, int writer, int count, long limit) {
    List<Double> won = new ArrayList<>();
    int recorded = 0;
    int call = 0;
    while (recorded < count) {
      List<ChargedEvent> batch = new ArrayList<>();
      int size = call % 10 == 9 ? Math.min(3, count - recorded) : 1;
      for (int i = 0; i < size; i++) {
        batch.add(event("w" + writer + "-" + recorded++));
      }
      if (call < SHARED_IDS) {
        batch.add(event("shared-" + call));
      }
      call++;
      RecordResult result = store.record(BUDGET, PERIOD, batch, 100);
      for (double threshold : THRESHOLDS) {
        if (result.currentPeriodUsed() >= Math.ceil(threshold * limit) && store.claimThreshold(BUDGET, PERIOD, threshold)) {
          won.add(threshold);
        }
      }
    }
    return won;
  }

  private static ChargedEvent event(String requestId) {
    TokenUsageEvent e = TokenUsageEvent.builder("model-" + (requestId.hashCode() & 3)).inputTokens(TOKENS - 3)
        .outputTokens(3).timestamp(PERIOD.plusSeconds(requestId.length())).requestId(requestId).build();
    return new ChargedEvent(e, PERIOD);
  }
}
