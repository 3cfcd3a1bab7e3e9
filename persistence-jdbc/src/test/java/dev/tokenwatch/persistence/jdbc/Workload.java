package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The workload of one writer in the several-instances tests, shared by threads and child JVMs:
 * records {@code count} events of {@link #TOKENS} tokens with ids unique to the writer (every tenth
 * call a batch of three), records each of {@link #SHARED_IDS} ids that every writer also records
 * (counted once in all; every writer sends them with a total growing with the writer's number, so
 * the larger records replace the smaller ones whatever the order), and after every call claims, in
 * ascending order, each threshold the returned total has reached.
 */
final class Workload {

  static final Instant PERIOD = Instant.parse("2026-03-01T00:00:00Z");
  static final BudgetWindow WINDOW = new BudgetWindow("shared", PERIOD, Instant.parse("2026-04-01T00:00:00Z"),
      UsageFilter.ANY);
  static final long TOKENS = 10;
  static final int SHARED_IDS = 20;
  static final double[] THRESHOLDS = {0.5, 0.7, 0.8, 1.0};

  private Workload() {}

  /** Tokens all {@code writers} together charge: the shared ids count with the largest writer's total. */
  static long expectedTotal(int writers, int count) {
    return writers * (long) count * TOKENS + SHARED_IDS * sharedTokens(writers - 1);
  }

  /** Calls all {@code writers} together leave in the ledger. */
  static long expectedCalls(int writers, int count) {
    return writers * (long) count + SHARED_IDS;
  }

  private static long sharedTokens(int writer) {
    return TOKENS + writer;
  }

  /** Runs one writer; returns the thresholds it won. */
  static List<Double> run(UsageStore store, int writer, int count, long limit) {
    List<Double> won = new ArrayList<>();
    int recorded = 0;
    int call = 0;
    while (recorded < count) {
      List<TokenUsageEvent> batch = new ArrayList<>();
      int size = call % 10 == 9 ? Math.min(3, count - recorded) : 1;
      for (int i = 0; i < size; i++) {
        batch.add(event("w" + writer + "-" + recorded++, TOKENS));
      }
      if (call < SHARED_IDS) {
        batch.add(event("shared-" + call, sharedTokens(writer)));
      }
      call++;
      RecordResult result = store.record(batch, List.of(WINDOW));
      long used = result.windowTotals().get(0).totalTokens();
      for (double threshold : THRESHOLDS) {
        if (used >= Math.ceil(threshold * limit) && store.claimThreshold(WINDOW, threshold)) {
          won.add(threshold);
        }
      }
    }
    return won;
  }

  private static TokenUsageEvent event(String requestId, long tokens) {
    return TokenUsageEvent.builder("model-" + (requestId.hashCode() & 3)).inputTokens(tokens - 3).outputTokens(3)
        .timestamp(PERIOD.plusSeconds(requestId.length() * 600L)).requestId(requestId)
        .project("p" + (requestId.hashCode() & 1)).build();
  }
}
