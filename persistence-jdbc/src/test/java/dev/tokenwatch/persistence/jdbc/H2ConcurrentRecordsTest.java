package dev.tokenwatch.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
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
 * Concurrent single-event calls on one H2 store, which its group commit applies with shared period
 * and totals updates: every call's {@code currentPeriodUsed} must be the total after it in one
 * serial order of all calls, and the stored totals exact.
 */
class H2ConcurrentRecordsTest {

  private static final String BUDGET = "team";
  private static final Instant PERIOD = Instant.parse("2026-06-01T00:00:00Z");
  private static final int THREADS = 4;
  private static final int EVENTS_PER_THREAD = 300;

  @TempDir
  Path dir;

  /** Event {@code n} (from 1) has n tokens, so each total after a call identifies the calls before it. */
  private static ChargedEvent event(int n) {
    TokenUsageEvent e = TokenUsageEvent.builder("model-" + (n % 3)).inputTokens(n)
        .timestamp(PERIOD.plusSeconds(n)).requestId("req-" + n).build();
    return new ChargedEvent(e, PERIOD);
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
            calls.add(new Call(n, false, store.record(BUDGET, PERIOD, List.of(event(n)), 100)));
            if (i % 50 == 49) {
              // A request id counted before, sent again: a duplicate amid the grouped calls.
              calls.add(new Call(n - 7, true, store.record(BUDGET, PERIOD, List.of(event(n - 7)), 100)));
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
          assertEquals(new RecordResult(c.result().currentPeriodUsed(), 1, 0, 0, c.tokens()), c.result());
          assertTrue(totalsAfterNewEvents.add(c.result().currentPeriodUsed()),
              "two calls saw the same total " + c.result().currentPeriodUsed());
        } else {
          assertEquals(new RecordResult(c.result().currentPeriodUsed(), 0, 0, 1, 0), c.result());
        }
      }
      // In one serial order, the total before each new event is 0 or the total after another new event.
      for (Call c : calls) {
        long before = c.result().currentPeriodUsed() - (c.resent() ? 0 : c.tokens());
        assertTrue(before == 0 || totalsAfterNewEvents.contains(before),
            "a call of " + c.tokens() + " tokens saw total " + c.result().currentPeriodUsed()
                + ", which follows no other call");
      }
      assertEquals(expected, totalsAfterNewEvents.stream().mapToLong(Long::longValue).max().orElseThrow());
      assertEquals(expected, store.periodTotals(BUDGET, PERIOD).used());
      assertEquals((long) THREADS * EVENTS_PER_THREAD, store.periodTotals(BUDGET, PERIOD).calls());
    }
  }
}
