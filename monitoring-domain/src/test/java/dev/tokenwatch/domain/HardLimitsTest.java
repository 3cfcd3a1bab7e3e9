package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.cost.ModelPrice;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.cost.Prices;
import dev.tokenwatch.domain.cost.Rate;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.testing.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Hard budgets through the tracker: reserve before the call, commit or release after it. */
class HardLimitsTest {

  /** $10 per million input tokens, $50 per million output tokens. */
  private static final PriceTable PRICES = PriceTable.of("test", LocalDate.of(2026, 11, 1), List.of(
      ModelPrice.of("claude-opus-4-1", new Prices(Rate.of("10"), Rate.of("50"), null, null, null), "test")));

  private final MutableClock clock = MutableClock.at("2026-11-15T10:00:00Z");
  private final InMemoryUsageStore store = new InMemoryUsageStore();
  private final List<Alert> alerts = Collections.synchronizedList(new ArrayList<>());

  private final TokenBudget hardTokens = TokenBudget.builder().name("hard").limit(10_000).mode(BudgetMode.HARD)
      .build();
  private final TokenBudget softTokens = TokenBudget.builder().name("soft").limit(1_000).build();

  private TokenTracker tracker(TokenBudget... budgets) {
    return TokenTracker.builder(List.of(budgets)).store(store).clock(clock).prices(PRICES).sink(alerts::add)
        .reservationTimeout(Duration.ofMinutes(10)).build();
  }

  private TokenUsageEvent call(String model, long input, long output) {
    return TokenUsageEvent.builder(model).inputTokens(input).outputTokens(output).timestamp(clock.now()).build();
  }

  @Test
  void aReservationThatWouldPassAHardBudgetIsRefusedNamingTheFigures() {
    TokenTracker tracker = tracker(hardTokens);
    tracker.track(call("gpt-4o", 6_000, 0));
    Reservation held = tracker.reserve("gpt-4o", 3_000);

    assertThatThrownBy(() -> tracker.reserve("gpt-4o", 1_001))
        .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
          assertThat(e.budget().name()).isEqualTo("hard");
          assertThat(e.limit()).isEqualTo(10_000);
          assertThat(e.used()).isEqualTo(6_000);
          assertThat(e.reserved()).isEqualTo(3_000);
          assertThat(e.estimate()).isEqualTo(1_001);
        })
        .hasMessage("hard budget 'hard' (10,000 tokens monthly): used 6,000 tokens and reserved 3,000 tokens, "
            + "so the estimate of 1,001 tokens would pass its limit");
    assertThat(tracker.budget("hard").getReserved()).isEqualTo(new OpenReservations(3_000, 1));
    assertThat(held.hardBudgets()).containsExactly("hard");
    assertThat(tracker.reserve("gpt-4o", 1_000).id()).isNotEqualTo(held.id());
  }

  @Test
  void commitRecordsTheActualUsageInFullAndRaisesAlerts() {
    TokenTracker tracker = tracker(hardTokens);
    Reservation reservation = tracker.reserve("gpt-4o", 4_000);

    TrackResult result = reservation.commit(call("gpt-4o", 5_000, 1_000));

    assertThat(result.usage().used()).isEqualTo(6_000);
    assertThat(result.alerts()).extracting(Alert::threshold).containsExactly(0.5);
    assertThat(tracker.budget("hard").getReserved()).isEqualTo(OpenReservations.NONE);
    assertThatThrownBy(() -> reservation.commit(call("gpt-4o", 1, 0)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("settled already");
    assertThat(tracker.getUsage().used()).isEqualTo(6_000);
  }

  @Test
  void closingAnUnsettledReservationReleasesIt() {
    TokenTracker tracker = tracker(hardTokens);
    try (Reservation reservation = tracker.reserve("gpt-4o", 10_000)) {
      assertThat(tracker.budget("hard").getReserved().amount()).isEqualTo(10_000);
    }
    assertThat(tracker.budget("hard").getReserved()).isEqualTo(OpenReservations.NONE);

    try (Reservation reservation = tracker.reserve("gpt-4o", 10_000)) {
      reservation.commit(call("gpt-4o", 100, 0));
    }
    assertThat(tracker.getUsage().used()).isEqualTo(100);
  }

  @Test
  void softBudgetsAndBudgetsOfOtherScopesHoldNothing() {
    TokenBudget opusOnly = TokenBudget.builder().name("opus").limit(100).mode(BudgetMode.HARD)
        .scope(UsageFilter.models("claude-opus-*")).build();
    TokenTracker tracker = tracker(softTokens, opusOnly);

    Reservation reservation = tracker.reserve("gpt-4o", 50_000);

    assertThat(reservation.hardBudgets()).isEmpty();
    assertThat(tracker.budget("soft").getReserved()).isEqualTo(OpenReservations.NONE);
    assertThatThrownBy(() -> tracker.reserve("claude-opus-4-1", 101)).isInstanceOf(BudgetExceededException.class);
    assertThat(reservation.release()).isTrue();
  }

  @Test
  void aBudgetInDollarsPricesTheEstimateAsOutputTokensAndRefusesAnUnpricedModel() {
    TokenBudget dollars = TokenBudget.builder().name("usd").limitUsd(new BigDecimal("1.00")).mode(BudgetMode.HARD)
        .build();
    TokenTracker tracker = tracker(dollars);

    tracker.reserve("claude-opus-4-1", 10_000); // 10,000 output tokens at $50 per million: $0.50

    assertThat(tracker.budget("usd").getReserved()).isEqualTo(new OpenReservations(500_000_000L, 1));
    assertThatThrownBy(() -> tracker.reserve("claude-opus-4-1", 10_001)).isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("used $0.00 and reserved $0.50");
    assertThat(tracker.reserve(call("claude-opus-4-1", 20_000, 5_000)).hardBudgets()).containsExactly("usd");
    assertThatThrownBy(() -> tracker.reserve("unknown-model", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'unknown-model' has no price").hasMessageContaining("'usd'");
  }

  @Test
  void anUnsettledReservationExpiresAndItsLateCommitStillRecords() {
    TokenTracker tracker = tracker(hardTokens);
    Reservation leaked = tracker.reserve("gpt-4o", 10_000);
    assertThatThrownBy(() -> tracker.reserve("gpt-4o", 1)).isInstanceOf(BudgetExceededException.class);

    clock.advance(Duration.ofMinutes(10));

    assertThat(tracker.budget("hard").getReserved()).isEqualTo(OpenReservations.NONE);
    Committed late = tracker.commit(leaked.id(), call("gpt-4o", 700, 0));
    assertThat(late.held()).isFalse();
    assertThat(tracker.getUsage().used()).isEqualTo(700);
    assertThat(tracker.reserve("gpt-4o", 9_300).expiresAt()).isEqualTo(clock.now().plus(Duration.ofMinutes(10)));
  }

  @Test
  void aCommitByIdFromAnotherTrackerOverTheSameStoreEndsTheReservation() {
    Reservation reservation = tracker(hardTokens).reserve("gpt-4o", 9_000);

    Committed committed = tracker(hardTokens).commit(reservation.id(), call("gpt-4o", 8_000, 0));

    assertThat(committed.held()).isTrue();
    assertThat(tracker(hardTokens).release(reservation.id())).isFalse();
    assertThatThrownBy(() -> tracker(hardTokens).release("not an id"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reservation id");
  }

  @Test
  void concurrentCallersNeverPassTheHardLimit() throws Exception {
    TokenTracker tracker = tracker(hardTokens);
    AtomicInteger refused = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 50; i++) {
            try (Reservation r = tracker.reserve("gpt-4o", 100)) {
              if (i % 5 == 0) {
                continue; // the call failed: closing releases
              }
              r.commit(call("gpt-4o", 60, 40));
            } catch (BudgetExceededException e) {
              refused.incrementAndGet();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(tracker.getUsage().used()).isEqualTo(10_000);
    assertThat(refused.get()).isPositive();
    assertThat(tracker.budget("hard").getReserved()).isEqualTo(OpenReservations.NONE);
  }
}
