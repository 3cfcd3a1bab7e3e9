package dev.tokenwatch.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.port.RecordResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent single-event calls on one H2 store, which its group commit applies with shared rollup
 * and window updates: every call's window total must be the total after it in one serial order of
 * all calls, and the kept totals exact.
 */
class H2ConcurrentRecordsTest {

  private static final Instant PERIOD = Instant.parse("2026-06-01T00:00:00Z");
  private static final BudgetWindow WINDOW = new BudgetWindow("team", PERIOD, Instant.parse("2026-07-01T00:00:00Z"),
      UsageFilter.ANY);
  private static final int THREADS = 4;
  private static final int EVENTS_PER_THREAD = 300;

  @TempDir
  Path dir;

  /** Event {@code n} (from 1) has n tokens, so each total after a call identifies the calls before it. */
  private static TokenUsageEvent event(int n) {
    return TokenUsageEvent.builder("model-" + (n % 3)).inputTokens(n).timestamp(PERIOD.plusSeconds(n))
        .requestId("req-" + n).build();
  }

  private static long used(RecordResult result) {
    return result.windowTotals().get(0).totalTokens();
  }

  private record Call(int tokens, boolean resent, RecordResult result) {}

  @Test
  void eachConcurrentCallSeesTheTotalOfOneSerialOrder() throws Exception {
    try (JdbcUsageStore store = JdbcUsageStore.builder()
        .url("jdbc:h2:file:" + dir.resolve("usage").toAbsolutePath()).user("sa").poolSize(THREADS).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<Call>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          List<Call> calls = new ArrayList<>();
          for (int i = 0; i < EVENTS_PER_THREAD; i++) {
            int n = thread * EVENTS_PER_THREAD + i + 1;
            calls.add(new Call(n, false, store.record(List.of(event(n)), List.of(WINDOW))));
            if (i % 50 == 49) {
              // A request id counted before, sent again: a duplicate amid the grouped calls.
              calls.add(new Call(n - 7, true, store.record(List.of(event(n - 7)), List.of(WINDOW))));
            }
          }
          return calls;
        }));
      }
      start.countDown();
      List<Call> calls = new ArrayList<>();
      for (Future<List<Call>> f : futures) {
        calls.addAll(f.get());
      }
      pool.shutdown();

      long expected = 0;
      Set<Long> totalsAfterNewEvents = new HashSet<>();
      for (Call c : calls) {
        if (!c.resent()) {
          expected += c.tokens();
          assertEquals(List.of(new Counts(c.tokens(), 0, 0, 0, c.tokens(), 1)), c.result().windowDeltas());
          assertEquals(1, c.result().recorded());
          assertTrue(totalsAfterNewEvents.add(used(c.result())), "two calls saw the same total " + used(c.result()));
        } else {
          assertEquals(List.of(Counts.ZERO), c.result().windowDeltas());
          assertEquals(1, c.result().duplicates());
        }
      }
      // In one serial order, the total before each new event is 0 or the total after another new event.
      for (Call c : calls) {
        long before = used(c.result()) - (c.resent() ? 0 : c.tokens());
        assertTrue(before == 0 || totalsAfterNewEvents.contains(before),
            "a call of " + c.tokens() + " tokens saw total " + used(c.result())
                + ", which follows no other call");
      }
      assertEquals(expected, totalsAfterNewEvents.stream().mapToLong(Long::longValue).max().orElseThrow());
      assertEquals(expected, store.windowTotals(WINDOW).totalTokens());
      assertEquals((long) THREADS * EVENTS_PER_THREAD, store.windowTotals(WINDOW).calls());
      assertEquals(store.windowTotals(WINDOW), store.query(WINDOW.query()).total());
    }
  }
}
