package dev.tokenwatch.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.ModelTotals;
import dev.tokenwatch.domain.port.PeriodTotals;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link UsageStore} must show. A store adapter extends this class and
 * implements {@link #createStore()}; durable stores also override {@link #reopen(UsageStore)}.
 * Published in the domain's test-jar.
 */
public abstract class UsageStoreContract {

  protected static final String BUDGET = "contract";
  protected static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  protected static final Instant FEB = Instant.parse("2026-02-01T00:00:00Z");
  protected static final Instant MAR = Instant.parse("2026-03-01T00:00:00Z");
  protected static final int HISTORY = 100;

  protected UsageStore store;

  /** A new, empty store. Each test gets its own. */
  protected abstract UsageStore createStore() throws Exception;

  /**
   * Closes {@code store} and opens the same underlying state again. Stores that keep nothing beyond
   * the instance return it unchanged, which skips nothing: the assertions then run on the same
   * instance.
   */
  protected UsageStore reopen(UsageStore store) throws Exception {
    return store;
  }

  @BeforeEach
  void openStore() throws Exception {
    store = createStore();
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store != null) {
      store.close();
    }
  }

  protected static TokenUsageEvent event(String model, long input, long output, Instant at, String requestId) {
    return TokenUsageEvent.builder(model).inputTokens(input).outputTokens(output).timestamp(at).requestId(requestId)
        .build();
  }

  protected static ChargedEvent charged(TokenUsageEvent event, Instant periodStart) {
    return new ChargedEvent(event, periodStart);
  }

  protected RecordResult recordOne(Instant current, TokenUsageEvent event, Instant periodStart) {
    return store.record(BUDGET, current, List.of(charged(event, periodStart)), HISTORY);
  }

  @Test
  void emptyStoreHasNoUsage() {
    assertThat(store.periodTotals(BUDGET, JAN).used()).isZero();
    assertThat(store.periodTotals(BUDGET, JAN).models()).isEmpty();
    assertThat(store.claimedThresholds(BUDGET, JAN)).isEmpty();
    assertThat(store.history(BUDGET, 10)).isEmpty();
    assertThat(store.periodTotalsBetween(BUDGET, JAN, MAR)).isEmpty();
  }

  @Test
  void recordAddsTokensAndReturnsCurrentTotal() {
    RecordResult first = recordOne(JAN, event("gpt-4o", 100, 50, JAN.plusSeconds(1), null), JAN);
    RecordResult second = recordOne(JAN, event("gpt-4o", 10, 5, JAN.plusSeconds(2), null), JAN);

    assertThat(first).isEqualTo(new RecordResult(150, 1, 0, 0, 150));
    assertThat(second).isEqualTo(new RecordResult(165, 1, 0, 0, 15));
    assertThat(store.periodTotals(BUDGET, JAN).used()).isEqualTo(165);
  }

  @Test
  void keepsEveryTokenTypePerModel() {
    TokenUsageEvent claude = TokenUsageEvent.builder("claude-sonnet-4").inputTokens(10).outputTokens(20)
        .cacheCreationTokens(30).cacheReadTokens(40).totalTokens(105).timestamp(JAN.plusSeconds(5)).build();
    store.record(BUDGET, JAN, List.of(
        charged(claude, JAN),
        charged(claude, JAN),
        charged(event("gpt-4o", 1000, 1, JAN.plusSeconds(6), null), JAN)), HISTORY);

    PeriodTotals totals = store.periodTotals(BUDGET, JAN);
    assertThat(totals.models()).containsExactly(
        new ModelTotals("gpt-4o", 1000, 1, 0, 0, 1001, 1),
        new ModelTotals("claude-sonnet-4", 20, 40, 60, 80, 210, 2));
    assertThat(totals.used()).isEqualTo(1211);
    assertThat(totals.calls()).isEqualTo(3);
  }

  @Test
  void newPeriodStartsEmptyAndPastPeriodsAreKept() {
    recordOne(JAN, event("m", 100, 0, JAN.plusSeconds(1), null), JAN);
    RecordResult inFeb = recordOne(FEB, event("m", 7, 0, FEB.plusSeconds(1), null), FEB);

    assertThat(inFeb.currentPeriodUsed()).isEqualTo(7);
    assertThat(store.periodTotals(BUDGET, JAN).used()).isEqualTo(100);
    assertThat(store.periodTotalsBetween(BUDGET, JAN, MAR))
        .extracting(PeriodTotals::periodStart, PeriodTotals::used)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(JAN, 100L), org.assertj.core.groups.Tuple.tuple(FEB, 7L));
    assertThat(store.periodTotalsBetween(BUDGET, FEB, MAR)).extracting(PeriodTotals::periodStart).containsExactly(FEB);
  }

  @Test
  void pastPeriodEventUpdatesThatPeriodOnly() {
    recordOne(FEB, event("m", 10, 0, FEB.plusSeconds(1), null), FEB);
    RecordResult late = recordOne(FEB, event("m", 500, 0, JAN.plusSeconds(1), null), JAN);

    assertThat(late).isEqualTo(new RecordResult(10, 1, 0, 0, 0));
    assertThat(store.periodTotals(BUDGET, JAN).used()).isEqualTo(500);
    assertThat(store.periodTotals(BUDGET, FEB).used()).isEqualTo(10);
  }

  @Test
  void duplicateRequestIdIsCountedOnce() {
    recordOne(JAN, event("m", 100, 0, JAN.plusSeconds(1), "req-1"), JAN);
    RecordResult again = recordOne(JAN, event("m", 100, 0, JAN.plusSeconds(2), "req-1"), JAN);
    RecordResult smaller = recordOne(JAN, event("m", 40, 0, JAN.plusSeconds(3), "req-1"), JAN);

    assertThat(again).isEqualTo(new RecordResult(100, 0, 0, 1, 0));
    assertThat(smaller).isEqualTo(new RecordResult(100, 0, 0, 1, 0));
    assertThat(store.periodTotals(BUDGET, JAN).calls()).isEqualTo(1);
    assertThat(store.history(BUDGET, 10)).hasSize(1);
  }

  @Test
  void largerTotalReplacesEarlierRecordAndAddsOnlyTheDifference() {
    recordOne(JAN, event("m", 100, 10, JAN.plusSeconds(1), "req-1"), JAN);
    RecordResult bigger = recordOne(JAN, event("m", 100, 60, JAN.plusSeconds(2), "req-1"), JAN);

    assertThat(bigger).isEqualTo(new RecordResult(160, 0, 1, 0, 50));
    assertThat(store.periodTotals(BUDGET, JAN).models())
        .containsExactly(new ModelTotals("m", 100, 60, 0, 0, 160, 1));
    assertThat(store.history(BUDGET, 10)).extracting(TokenUsageEvent::outputTokens).containsExactly(60L);
  }

  @Test
  void replacementMovesTokensAcrossPeriodsAndModels() {
    recordOne(FEB, event("draft", 100, 0, JAN.plusSeconds(1), "req-1"), JAN);
    RecordResult moved = recordOne(FEB, event("final", 100, 50, FEB.plusSeconds(1), "req-1"), FEB);

    assertThat(moved).isEqualTo(new RecordResult(150, 0, 1, 0, 150));
    assertThat(store.periodTotals(BUDGET, JAN).used()).isZero();
    assertThat(store.periodTotals(BUDGET, FEB).models()).containsExactly(new ModelTotals("final", 100, 50, 0, 0, 150, 1));
  }

  @Test
  void duplicatesAreDetectedAcrossPeriodsAndWithinOneBatch() {
    recordOne(JAN, event("m", 100, 0, JAN.plusSeconds(1), "old"), JAN);
    RecordResult batch = store.record(BUDGET, FEB, List.of(
        charged(event("m", 100, 0, JAN.plusSeconds(1), "old"), JAN),
        charged(event("m", 5, 0, FEB.plusSeconds(1), "new"), FEB),
        charged(event("m", 5, 0, FEB.plusSeconds(1), "new"), FEB),
        charged(event("m", 9, 0, FEB.plusSeconds(2), "new"), FEB)), HISTORY);

    assertThat(batch).isEqualTo(new RecordResult(9, 1, 1, 2, 9));
    assertThat(store.periodTotals(BUDGET, JAN).used()).isEqualTo(100);
  }

  @Test
  void requestIdsAreScopedPerBudget() {
    store.record("a", JAN, List.of(charged(event("m", 1, 0, JAN, "same"), JAN)), HISTORY);
    RecordResult other = store.record("b", JAN, List.of(charged(event("m", 2, 0, JAN, "same"), JAN)), HISTORY);

    assertThat(other.recorded()).isEqualTo(1);
    assertThat(store.periodTotals("a", JAN).used()).isEqualTo(1);
    assertThat(store.periodTotals("b", JAN).used()).isEqualTo(2);
    assertThat(store.history("a", 10)).hasSize(1);
  }

  @Test
  void historyIsOldestFirstAndBounded() {
    List<ChargedEvent> batch = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      batch.add(charged(event("m", i, 0, JAN.plusSeconds(i), "r" + i), JAN));
    }
    store.record(BUDGET, JAN, batch, 20);

    List<TokenUsageEvent> history = store.history(BUDGET, 20);
    assertThat(history).extracting(TokenUsageEvent::requestId)
        .containsExactlyElementsOf(java.util.stream.IntStream.range(10, 30).mapToObj(i -> "r" + i).toList());
    assertThat(store.history(BUDGET, 5)).extracting(TokenUsageEvent::requestId)
        .containsExactly("r25", "r26", "r27", "r28", "r29");
    assertThat(store.periodTotals(BUDGET, JAN).calls()).isEqualTo(30);
  }

  @Test
  void historyKeepsEventFields() {
    TokenUsageEvent e = TokenUsageEvent.builder("claude-opus-4").inputTokens(1).outputTokens(2).cacheCreationTokens(3)
        .cacheReadTokens(4).totalTokens(11).timestamp(Instant.parse("2026-01-05T10:15:30.123Z")).requestId("x").build();
    recordOne(JAN, e, JAN);
    assertThat(store.history(BUDGET, 1)).containsExactly(e);
  }

  @Test
  void thresholdClaimSucceedsOnce() {
    assertThat(store.claimThreshold(BUDGET, JAN, 0.5)).isTrue();
    assertThat(store.claimThreshold(BUDGET, JAN, 0.5)).isFalse();
    assertThat(store.claimThreshold(BUDGET, FEB, 0.5)).as("a new period re-arms").isTrue();
    assertThat(store.claimThreshold("other", JAN, 0.5)).as("budgets are separate").isTrue();
    assertThat(store.claimedThresholds(BUDGET, JAN)).containsExactly(0.5);
  }

  @Test
  void claimsNeverStepDown() {
    assertThat(store.claimThreshold(BUDGET, JAN, 0.8)).isTrue();
    assertThat(store.claimThreshold(BUDGET, JAN, 0.7)).isFalse();
    assertThat(store.claimThreshold(BUDGET, JAN, 1.0)).isTrue();
    assertThat(store.claimedThresholds(BUDGET, JAN)).containsExactly(0.8, 1.0);
  }

  @Test
  void concurrentClaimsHaveExactlyOneWinnerPerThreshold() throws Exception {
    double[] thresholds = {0.5, 0.7, 0.8, 1.0};
    AtomicInteger[] wins = new AtomicInteger[thresholds.length];
    for (int i = 0; i < wins.length; i++) {
      wins[i] = new AtomicInteger();
    }
    runConcurrently(8, worker -> {
      for (int i = 0; i < thresholds.length; i++) {
        if (store.claimThreshold(BUDGET, JAN, thresholds[i])) {
          wins[i].incrementAndGet();
        }
      }
      return null;
    });
    for (AtomicInteger w : wins) {
      assertThat(w.get()).isEqualTo(1);
    }
  }

  @Test
  void concurrentRecordsGiveExactTotals() throws Exception {
    int threads = 4;
    int perThread = 250;
    runConcurrently(threads, worker -> {
      for (int i = 0; i < perThread; i++) {
        String id = worker + "-" + i;
        store.record(BUDGET, JAN, List.of(charged(event("m" + (i % 3), 3, 4, JAN.plusSeconds(i), id), JAN),
            charged(event("m" + (i % 3), 3, 4, JAN.plusSeconds(i), id), JAN)), HISTORY);
      }
      return null;
    });
    PeriodTotals totals = store.periodTotals(BUDGET, JAN);
    assertThat(totals.used()).isEqualTo((long) threads * perThread * 7);
    assertThat(totals.calls()).isEqualTo((long) threads * perThread);
  }

  @Test
  void resetClearsOnlyThatPeriod() {
    recordOne(FEB, event("m", 100, 0, JAN.plusSeconds(1), "jan"), JAN);
    recordOne(FEB, event("m", 200, 0, FEB.plusSeconds(1), "feb"), FEB);
    store.claimThreshold(BUDGET, FEB, 0.5);

    store.resetPeriod(BUDGET, FEB);

    assertThat(store.periodTotals(BUDGET, FEB).used()).isZero();
    assertThat(store.claimedThresholds(BUDGET, FEB)).isEmpty();
    assertThat(store.periodTotals(BUDGET, JAN).used()).isEqualTo(100);
    assertThat(store.history(BUDGET, 10)).extracting(TokenUsageEvent::requestId).containsExactly("jan");
    RecordResult again = recordOne(FEB, event("m", 200, 0, FEB.plusSeconds(1), "feb"), FEB);
    assertThat(again.recorded()).as("request ids of a reset period count again").isEqualTo(1);
    assertThat(recordOne(FEB, event("m", 100, 0, JAN.plusSeconds(1), "jan"), JAN).duplicates()).isEqualTo(1);
  }

  @Test
  void stateSurvivesReopen() throws Exception {
    store.record(BUDGET, FEB, List.of(
        charged(event("m", 100, 1, JAN.plusSeconds(1), "a"), JAN),
        charged(event("m", 200, 2, FEB.plusSeconds(1), "b"), FEB),
        charged(event("n", 300, 3, FEB.plusSeconds(2), null), FEB)), HISTORY);
    store.claimThreshold(BUDGET, FEB, 0.7);
    recordOne(FEB, event("m", 200, 9, FEB.plusSeconds(3), "b"), FEB);

    store = reopen(store);

    assertThat(store.periodTotals(BUDGET, FEB).models()).containsExactly(
        new ModelTotals("n", 300, 3, 0, 0, 303, 1), new ModelTotals("m", 200, 9, 0, 0, 209, 1));
    assertThat(store.periodTotals(BUDGET, JAN).used()).isEqualTo(101);
    assertThat(store.claimedThresholds(BUDGET, FEB)).containsExactly(0.7);
    assertThat(store.claimThreshold(BUDGET, FEB, 0.7)).isFalse();
    assertThat(store.history(BUDGET, 10)).extracting(TokenUsageEvent::totalTokens).containsExactly(101L, 303L, 209L);
    assertThat(recordOne(FEB, event("m", 100, 1, JAN.plusSeconds(1), "a"), JAN).duplicates()).isEqualTo(1);
    assertThat(recordOne(FEB, event("m", 200, 9, FEB.plusSeconds(3), "b"), FEB).duplicates()).isEqualTo(1);
  }

  @Test
  void largeBatchIsAppliedWhole() {
    List<ChargedEvent> batch = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      batch.add(charged(event("model-" + (i % 7), 10, 1, JAN.plusSeconds(i), "id-" + i), JAN));
    }
    RecordResult result = store.record(BUDGET, JAN, batch, HISTORY);
    assertThat(result).isEqualTo(new RecordResult(55_000, 5_000, 0, 0, 55_000));
    assertThat(store.periodTotals(BUDGET, JAN).models()).hasSize(7);
    assertThat(store.history(BUDGET, HISTORY)).hasSize(HISTORY);
  }

  /** Runs {@code task} on {@code threads} threads started together and waits for all of them. */
  protected static void runConcurrently(int threads, Worker task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Void>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int worker = t;
        Callable<Void> c = () -> {
          start.await();
          return task.run(worker);
        };
        futures.add(pool.submit(c));
      }
      start.countDown();
      for (Future<Void> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A task run by one of several threads. */
  @FunctionalInterface
  protected interface Worker {
    Void run(int worker) throws Exception;
  }
}
