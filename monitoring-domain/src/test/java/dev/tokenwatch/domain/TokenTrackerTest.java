package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.cost.Pricing;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.AlertSink;
import dev.tokenwatch.domain.port.Clock;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.ledger.UsageRow;
import dev.tokenwatch.domain.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class TokenTrackerTest {

  private final MutableClock clock = MutableClock.at("2026-11-15T10:00:00Z");
  private final InMemoryUsageStore store = new InMemoryUsageStore();
  private final List<Alert> alerts = Collections.synchronizedList(new ArrayList<>());
  private final TokenBudget budget = TokenBudget.of(1_000, BudgetPeriod.MONTHLY);

  private TokenTracker tracker(TokenBudget b) {
    return TokenTracker.builder(b).store(store).clock(clock).sink(alerts::add).build();
  }

  private TokenUsageEvent event(long tokens) {
    return TokenUsageEvent.builder("gpt-4o").inputTokens(tokens).timestamp(clock.now()).build();
  }

  private TokenUsageEvent event(long tokens, String requestId) {
    return TokenUsageEvent.builder("gpt-4o").inputTokens(tokens).timestamp(clock.now()).requestId(requestId).build();
  }

  @Test
  void eachThresholdFiresExactlyOncePerPeriod() {
    TokenTracker tracker = tracker(budget);
    for (int i = 0; i < 120; i++) {
      tracker.track(event(10));
    }
    assertThat(alerts).extracting(Alert::threshold).containsExactly(0.5, 0.7, 0.8, 1.0);
    assertThat(tracker.getUsage()).extracting(Usage::used, Usage::limit, Usage::percentage, Usage::remaining)
        .containsExactly(1_200L, 1_000L, 1.2, 0L);
    assertThat(tracker.getFiredThresholds()).containsExactly(0.5, 0.7, 0.8, 1.0);
  }

  @Test
  void trackReturnsTheAlertAndUsage() {
    TokenTracker tracker = tracker(budget);
    TrackResult quiet = tracker.track(event(499));
    TrackResult half = tracker.track(event(1));
    assertThat(quiet.alert()).isEmpty();
    assertThat(quiet.outcome()).isEqualTo(TrackOutcome.RECORDED);
    assertThat(half.alert()).map(Alert::threshold).contains(0.5);
    assertThat(half.usage()).extracting(Usage::used, Usage::limit, Usage::percentage, Usage::remaining)
        .containsExactly(500L, 1_000L, 0.5, 500L);
  }

  @Test
  void jumpFromFortyToEightyFivePercentRaisesOneWarning() {
    TokenTracker tracker = tracker(budget);
    tracker.track(event(400));
    TrackResult jump = tracker.track(event(450));
    assertThat(jump.alert()).map(Alert::level).contains(AlertLevel.WARNING);
    assertThat(alerts).extracting(Alert::threshold).containsExactly(0.8);
    tracker.track(event(1));
    assertThat(alerts).hasSize(1);
    assertThat(tracker.getFiredThresholds()).containsExactly(0.5, 0.7, 0.8);
  }

  @Test
  void exactlyOneHundredPercentIsCritical() {
    TokenTracker tracker = tracker(budget);
    TrackResult full = tracker.track(event(1_000));
    assertThat(full.alert()).map(Alert::threshold).contains(1.0);
    assertThat(full.alert()).map(Alert::level).contains(AlertLevel.CRITICAL);
    assertThat(full.usage().remaining()).isZero();
  }

  @Test
  void overOneHundredPercentRaisesNothingMoreButCountsOn() {
    TokenTracker tracker = tracker(TokenBudget.builder().limit(1_000).alertThresholds(List.of(1.0, 1.5)).build());
    tracker.track(event(999));
    assertThat(alerts).isEmpty();
    tracker.track(event(1_001));
    assertThat(alerts).extracting(Alert::threshold).containsExactly(1.5);
    assertThat(tracker.getUsage().percentage()).isEqualTo(2.0);
  }

  @Test
  void sinkReceivesExactlyOneAlertPerThreshold() {
    AlertSink sink = mock(AlertSink.class);
    TokenTracker tracker = TokenTracker.builder(budget).store(store).clock(clock).sink(sink).build();
    tracker.track(event(720));
    tracker.track(event(10));
    ArgumentCaptor<Alert> captor = ArgumentCaptor.forClass(Alert.class);
    verify(sink, times(1)).deliverNow(captor.capture());
    assertThat(captor.getValue().threshold()).isEqualTo(0.7);
    assertThat(captor.getValue().message())
        .isEqualTo("Token budget 'default' at 72.0% (720 of 1,000 tokens, monthly period ends 2026-12-01 00:00 UTC)");
  }

  @Test
  void failingSinkDoesNotStopOtherSinksOrTracking() {
    AlertSink broken = mock(AlertSink.class);
    org.mockito.Mockito.doThrow(new IllegalStateException("boom")).when(broken).deliverNow(any());
    AlertSink working = mock(AlertSink.class);
    TokenTracker tracker = TokenTracker.builder(budget).store(store).clock(clock).sink(broken).sink(working).build();
    TrackResult result = tracker.track(event(600));
    assertThat(result.alert()).isPresent();
    verify(working).deliverNow(result.alert().orElseThrow());
  }

  @Test
  void clockSteppingAcrossMidnightRollsADailyBudgetOver() {
    Clock steppingClock = mock(Clock.class);
    Instant beforeMidnight = Instant.parse("2026-11-15T23:59:59Z");
    Instant afterMidnight = Instant.parse("2026-11-16T00:00:01Z");
    // building reads the clock once (what the outbox has due), then each track once
    when(steppingClock.now()).thenReturn(beforeMidnight, beforeMidnight, beforeMidnight, afterMidnight);
    TokenBudget daily = TokenBudget.of(100, BudgetPeriod.DAILY);
    TokenTracker tracker = TokenTracker.builder(daily).store(store).clock(steppingClock).sink(alerts::add).build();

    tracker.track(TokenUsageEvent.builder("m").inputTokens(90).timestamp(beforeMidnight).build());
    TrackResult next = tracker.track(TokenUsageEvent.builder("m").inputTokens(60).timestamp(afterMidnight).build());

    assertThat(next.usage().used()).isEqualTo(60);
    assertThat(alerts).extracting(Alert::threshold).containsExactly(0.8, 0.5);
  }

  @Test
  void rolloverForEachPeriodKindRearmsThresholds() {
    for (BudgetPeriod period : BudgetPeriod.values()) {
      alerts.clear();
      clock.set(Instant.parse("2026-11-15T10:00:00Z"));
      TokenBudget b = TokenBudget.builder().name("b-" + period.label()).limit(100).period(period).build();
      // a store of its own: budgets are views of one ledger, so a shared one would hold the others' events
      TokenTracker tracker = TokenTracker.builder(b).store(new InMemoryUsageStore()).clock(clock).sink(alerts::add)
          .build();
      tracker.track(event(60));
      clock.set(tracker.getCurrentPeriod().endInstant());
      TrackResult after = tracker.track(event(60));
      assertThat(after.usage().used()).as(period.label()).isEqualTo(60);
      assertThat(alerts).as(period.label()).extracting(Alert::threshold).containsExactly(0.5, 0.5);
    }
  }

  @Test
  void dstDayInBerlinIsOneDailyPeriod() {
    clock.set(Instant.parse("2026-03-28T23:30:00Z")); // 00:30 local on the 23-hour day
    TokenBudget daily = TokenBudget.builder().limit(100).period(BudgetPeriod.DAILY).zone(ZoneId.of("Europe/Berlin"))
        .build();
    TokenTracker tracker = tracker(daily);
    tracker.track(event(30));
    clock.set(Instant.parse("2026-03-29T21:59:00Z")); // 23:59 local, still the same day
    assertThat(tracker.track(event(30)).usage().used()).isEqualTo(60);
    clock.set(Instant.parse("2026-03-29T22:00:00Z")); // 00:00 local on the 30th
    assertThat(tracker.track(event(5)).usage().used()).isEqualTo(5);
  }

  @Test
  void leapDayBelongsToFebruary() {
    clock.set(Instant.parse("2028-02-29T12:00:00Z"));
    TokenTracker tracker = tracker(budget);
    tracker.track(event(100));
    clock.set(Instant.parse("2028-03-01T00:00:00Z"));
    assertThat(tracker.getUsage().used()).isZero();
    assertThat(tracker.query(UsageQuery.all().between(Instant.parse("2028-02-01T00:00:00Z"),
        Instant.parse("2028-03-01T00:00:00Z"))).total().totalTokens()).isEqualTo(100);
  }

  @Test
  void downtimeOverSeveralPeriodsStartsThePeriodOfNow() {
    TokenTracker tracker = tracker(budget);
    tracker.track(event(900));
    clock.set(Instant.parse("2027-04-20T08:00:00Z"));
    assertThat(tracker.getCurrentPeriod().startInstant()).isEqualTo(Instant.parse("2027-04-01T00:00:00Z"));
    assertThat(tracker.getUsage().used()).isZero();
    tracker.track(event(500));
    assertThat(alerts).extracting(Alert::threshold).containsExactly(0.8, 0.5);
  }

  @Test
  void pastPeriodEventUpdatesThatPeriodAndRaisesNoAlert() {
    TokenTracker tracker = tracker(budget);
    TokenUsageEvent october = TokenUsageEvent.builder("m").inputTokens(5_000)
        .timestamp(Instant.parse("2026-10-20T10:00:00Z")).build();
    TrackResult result = tracker.track(october);
    assertThat(result.alert()).isEmpty();
    assertThat(result.usage().used()).isZero();
    assertThat(tracker.query(UsageQuery.all().between(Instant.parse("2026-10-01T00:00:00Z"),
        Instant.parse("2026-11-01T00:00:00Z"))).total().totalTokens()).isEqualTo(5_000);
    assertThat(alerts).isEmpty();
  }

  @Test
  void eventsMoreThanFiveMinutesAheadAreRejected() {
    TokenTracker tracker = tracker(budget);
    tracker.track(TokenUsageEvent.builder("m").inputTokens(1).timestamp(clock.now().plus(Duration.ofMinutes(5))).build());
    TokenUsageEvent future = TokenUsageEvent.builder("m").inputTokens(1)
        .timestamp(clock.now().plus(Duration.ofMinutes(5)).plusSeconds(1)).build();
    assertThatThrownBy(() -> tracker.track(future))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timestamp must not be more than 5 minutes in the future, got 2026-11-15T10:05:01Z (now 2026-11-15T10:00:00Z)");
    assertThatThrownBy(() -> tracker.trackAll(List.of(event(1), future)))
        .hasMessageStartingWith("events[1].timestamp must not be more than 5 minutes in the future");
    assertThat(tracker.getUsage().used()).isEqualTo(1);
  }

  @Test
  void restartWithTheSameStoreDoesNotAlertAgain() {
    tracker(budget).track(event(750));
    assertThat(alerts).hasSize(1);

    TokenTracker restarted = tracker(budget);
    restarted.track(event(10));
    assertThat(alerts).hasSize(1);
    restarted.track(event(50));
    assertThat(alerts).extracting(Alert::threshold).containsExactly(0.7, 0.8);
    assertThat(restarted.getUsage().used()).isEqualTo(810);
    assertThat(restarted.getCurrentPeriod().startInstant()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(restarted.getFiredThresholds()).containsExactly(0.5, 0.7, 0.8);
  }

  @Test
  void duplicateRequestIdCountsOnceAndLargerTotalAddsTheDifference() {
    TokenTracker tracker = tracker(budget);
    tracker.track(event(100, "msg-1"));
    TrackResult duplicate = tracker.track(event(100, "msg-1"));
    assertThat(duplicate.outcome()).isEqualTo(TrackOutcome.DUPLICATE);
    assertThat(duplicate.duplicate()).isTrue();
    assertThat(duplicate.usage().used()).isEqualTo(100);

    TrackResult larger = tracker.track(event(550, "msg-1"));
    assertThat(larger.outcome()).isEqualTo(TrackOutcome.REPLACED);
    assertThat(larger.usage().used()).isEqualTo(550);
    assertThat(larger.alert()).map(Alert::threshold).contains(0.5);
    // gpt-4o is in the built-in price table: the replacing record's cost replaced the first one's
    long cost = new Pricing(PriceTable.builtIn()).costOf(event(550, "msg-1")).nanoUsd();
    assertThat(cost).isPositive();
    assertThat(tracker.getModelUsage().rows())
        .containsExactly(new UsageRow(null, List.of("gpt-4o"), new Counts(550, 0, 0, 0, 550, 1, cost, 0, 0)));
  }

  @Test
  void duplicateNeverAlerts() {
    AlertSink sink = mock(AlertSink.class);
    TokenTracker tracker = TokenTracker.builder(budget).store(store).clock(clock).sink(sink).build();
    tracker.track(event(400, "a"));
    tracker.track(event(400, "a"));
    verify(sink, never()).deliverNow(any());
  }

  @Test
  void trackAllAppliesABatchAndRaisesTheHighestThreshold() {
    TokenTracker tracker = tracker(budget);
    List<TokenUsageEvent> batch = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      batch.add(event(10, "r" + (i % 80)));
    }
    BatchResult result = tracker.trackAll(batch);
    assertThat(result.recorded()).isEqualTo(80);
    assertThat(result.duplicates()).isEqualTo(10);
    assertThat(result.usage().used()).isEqualTo(800);
    assertThat(result.alert()).map(Alert::threshold).contains(0.8);
    assertThat(alerts).hasSize(1);
    assertThat(tracker.trackAll(List.of()).usage().used()).isEqualTo(800);
  }

  @Test
  void historyIsBoundedOldestFirst() {
    TokenTracker tracker = tracker(TokenBudget.builder().limit(1_000_000).historySize(3).build());
    for (int i = 1; i <= 5; i++) {
      tracker.track(event(i));
    }
    assertThat(tracker.getHistory()).extracting(TokenUsageEvent::totalTokens).containsExactly(3L, 4L, 5L);
  }

  @Test
  void resetClearsTheCurrentPeriodAndRearms() {
    TokenTracker tracker = tracker(budget);
    tracker.track(event(600));
    tracker.reset();
    assertThat(tracker.getUsage().used()).isZero();
    assertThat(tracker.getFiredThresholds()).isEmpty();
    tracker.track(event(500));
    assertThat(alerts).extracting(Alert::threshold).containsExactly(0.5, 0.5);
  }

  @Test
  void resetByAnotherTrackerOnTheSameStoreRearmsThisOne() {
    TokenTracker first = tracker(budget);
    TokenTracker second = tracker(budget);
    first.track(event(600));
    second.reset();
    first.track(event(550));
    assertThat(alerts).extracting(Alert::threshold).containsExactly(0.5, 0.5);
  }

  @Test
  void createKeepsUsageInMemory() {
    List<Alert> received = new ArrayList<>();
    TokenTracker tracker = TokenTracker.create(TokenBudget.of(10, BudgetPeriod.DAILY), received::add);
    tracker.track(TokenUsageEvent.builder("m").inputTokens(10).timestamp(Instant.now()).build());
    assertThat(received).extracting(Alert::threshold).containsExactly(1.0);
  }

  @Test
  void eightThreadsTrackingHundredThousandEventsEachGiveExactTotalsAndOneAlertPerThreshold() throws Exception {
    int threads = 8;
    int perThread = 100_000;
    long limit = (long) threads * perThread * 3;
    TokenTracker tracker = tracker(TokenBudget.of(limit, BudgetPeriod.MONTHLY));
    TokenUsageEvent[] events = {
        TokenUsageEvent.builder("a").inputTokens(2).outputTokens(1).timestamp(clock.now()).build(),
        TokenUsageEvent.builder("b").inputTokens(1).outputTokens(2).timestamp(clock.now()).build()};
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        TokenUsageEvent e = events[t % 2];
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            tracker.track(e);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(tracker.getUsage().used()).isEqualTo(limit);
    assertThat(tracker.getPeriodCounts().calls()).isEqualTo((long) threads * perThread);
    assertThat(alerts).extracting(Alert::threshold).containsExactly(0.5, 0.7, 0.8, 1.0);
  }
}
