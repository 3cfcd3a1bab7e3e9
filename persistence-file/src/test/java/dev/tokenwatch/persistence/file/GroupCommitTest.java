package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.PeriodTotals;
import dev.tokenwatch.domain.port.RecordResult;
import java.nio.file.Files;
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
 * Group commit details the contract suite does not see: journal lines encoded before the state is
 * known, callers that are interrupted while they wait, and what a reopened store reads back.
 */
class GroupCommitTest {

  private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path directory;

  private static ChargedEvent event(String id, long input) {
    return new ChargedEvent(TokenUsageEvent.builder("m").inputTokens(input).timestamp(JAN).requestId(id).build(), JAN);
  }

  @Test
  void batchWithDuplicatesJournalsOnlyTheEffectiveEvents() throws Exception {
    Path state = directory.resolve("state");
    PeriodTotals live;
    try (FileUsageStore store = new FileUsageStore(state)) {
      store.record("b", JAN, List.of(event("a", 100), event("b", 200)), 10);
      // "a" is a duplicate, "b" a replacement (more tokens), "c" new: the line pre-encoded with all
      // three must not be written; the journal must hold exactly "b" and "c".
      RecordResult mixed = store.record("b", JAN, List.of(event("a", 100), event("b", 250), event("c", 300)), 10);
      assertThat(mixed.duplicates()).isEqualTo(1);
      assertThat(mixed.replaced()).isEqualTo(1);
      assertThat(mixed.recorded()).isEqualTo(1);
      live = store.periodTotals("b", JAN);
      assertThat(live.used()).isEqualTo(100 + 250 + 300);
    }
    String journal = Files.readString(state.resolve("journal-0.log"));
    assertThat(journal.split("\"requestId\":\"a\"", -1)).hasSize(2); // once, from the first call
    assertThat(journal.split("\"requestId\":\"b\"", -1)).hasSize(3); // first call and replacement
    try (FileUsageStore reopened = new FileUsageStore(state)) {
      assertThat(reopened.periodTotals("b", JAN)).isEqualTo(live);
      assertThat(reopened.history("b", 10)).extracting(TokenUsageEvent::requestId).containsExactly("a", "b", "c");
    }
  }

  @Test
  void interruptedWritersStillCommitAndKeepTheirInterrupt() throws Exception {
    Path state = directory.resolve("state");
    int threads = 6;
    int perThread = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (FileUsageStore store = new FileUsageStore(state)) {
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
            store.record("b", JAN, List.of(event(thread + "-" + i, 1)), 5);
            keptInterrupt &= Thread.interrupted() == wasInterrupted; // also clears it for the next call
          }
          return keptInterrupt;
        }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(store.periodTotals("b", JAN).used()).isEqualTo((long) threads * perThread);
    } finally {
      pool.shutdownNow();
    }
    try (FileUsageStore reopened = new FileUsageStore(state)) {
      assertThat(reopened.periodTotals("b", JAN).used()).isEqualTo((long) threads * perThread);
    }
  }
}
