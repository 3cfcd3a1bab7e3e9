package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.port.RecordResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit details the contract suite does not see: what a batch with duplicates journals, and
 * callers that are interrupted while they wait.
 */
class GroupCommitTest {

  private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  private static final BudgetWindow WINDOW =
      new BudgetWindow("b", JAN, Instant.parse("2026-02-01T00:00:00Z"), UsageFilter.ANY);

  @TempDir
  Path directory;

  private static TokenUsageEvent event(String id, long input) {
    return TokenUsageEvent.builder("m").inputTokens(input).timestamp(JAN).requestId(id).build();
  }

  @Test
  void batchWithDuplicatesReplaysToTheSameState() {
    Path state = directory.resolve("state");
    Counts live;
    try (FileUsageStore store = new FileUsageStore(state)) {
      store.record(List.of(event("a", 100), event("b", 200)), List.of(WINDOW));
      RecordResult mixed = store.record(List.of(event("a", 100), event("b", 250), event("c", 300)), List.of(WINDOW));
      assertThat(mixed.duplicates()).isEqualTo(1);
      assertThat(mixed.replaced()).isEqualTo(1);
      assertThat(mixed.recorded()).isEqualTo(1);
      live = store.windowTotals(WINDOW);
      assertThat(live.totalTokens()).isEqualTo(100 + 250 + 300);
    }
    try (FileUsageStore reopened = new FileUsageStore(state)) {
      assertThat(reopened.windowTotals(WINDOW)).isEqualTo(live);
      assertThat(reopened.history(UsageFilter.ANY, 10)).extracting(TokenUsageEvent::requestId)
          .containsExactly("a", "b", "c");
      assertThat(reopened.record(List.of(event("b", 250)), List.of()).duplicates()).isEqualTo(1);
    }
  }

  @Test
  void interruptedWritersStillCommitAndKeepTheirInterrupt() throws Exception {
    Path state = directory.resolve("state");
    int threads = 6;
    int perThread = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (FileUsageStore store = FileUsageStore.builder(state).compactAfterEvents(300).build()) {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          boolean keptInterrupt = true;
          for (int i = 0; i < perThread; i++) {
            if (i % 7 == 0) {
              Thread.currentThread().interrupt(); // must neither abort the write nor be lost
            }
            boolean wasInterrupted = Thread.currentThread().isInterrupted();
            store.record(List.of(event(thread + "-" + i, 1)), List.of(WINDOW));
            keptInterrupt &= Thread.interrupted() == wasInterrupted; // also clears it for the next call
          }
          return keptInterrupt;
        }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(store.windowTotals(WINDOW).totalTokens()).isEqualTo((long) threads * perThread);
    } finally {
      pool.shutdownNow();
    }
    try (FileUsageStore reopened = new FileUsageStore(state)) {
      assertThat(reopened.windowTotals(WINDOW).totalTokens()).isEqualTo((long) threads * perThread);
    }
  }
}
