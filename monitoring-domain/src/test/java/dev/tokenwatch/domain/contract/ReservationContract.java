package dev.tokenwatch.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.reservation.CommitResult;
import dev.tokenwatch.domain.reservation.Hold;
import dev.tokenwatch.domain.reservation.HoldState;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of reservations (hard limits): a reservation is made only if committed usage plus
 * open reservations plus its amount stay within the limit of every window it holds, all or none,
 * decided atomically against the current totals; commit records the usage and ends the reservation
 * in one step; release ends it; expired reservations hold nothing.
 */
public abstract class ReservationContract extends CostAndWindowsContract {

  /** An instant in January, when the reservations of these tests are made. */
  protected static final Instant NOW = JAN.plus(Duration.ofDays(3));
  private static final Instant LATER = NOW.plus(Duration.ofMinutes(10));

  private static ReservationRequest request(String id, Hold... holds) {
    return new ReservationRequest(id, LATER, List.of(holds));
  }

  private static Hold tokens(BudgetWindow window, long limit, long amount) {
    return new Hold(window, BudgetUnit.TOKENS, limit, amount);
  }

  private OpenReservations reservedIn(BudgetWindow window) {
    return store.reserved(window, BudgetUnit.TOKENS, NOW);
  }

  @Test
  void aReservationIsMadeWhileCommittedPlusReservedPlusItsAmountStayWithinTheLimit() {
    record(JAN_WINDOW, event("m", 600, 0, JAN.plusSeconds(1), null));

    ReserveOutcome first = store.reserve(request("a", tokens(JAN_WINDOW, 1_000, 300)), NOW);
    ReserveOutcome refused = store.reserve(request("b", tokens(JAN_WINDOW, 1_000, 101)), NOW);
    ReserveOutcome exactlyAtTheLimit = store.reserve(request("c", tokens(JAN_WINDOW, 1_000, 100)), NOW);

    assertThat(first).isEqualTo(new ReserveOutcome(-1, List.of(new HoldState(600, 0))));
    assertThat(refused).isEqualTo(new ReserveOutcome(0, List.of(new HoldState(600, 300))));
    assertThat(exactlyAtTheLimit).isEqualTo(new ReserveOutcome(-1, List.of(new HoldState(600, 300))));
    assertThat(reservedIn(JAN_WINDOW)).isEqualTo(new OpenReservations(400, 2));
  }

  @Test
  void aReservationHoldsInEveryWindowOrInNone() {
    ReserveOutcome refused = store.reserve(request("a", tokens(JAN_WINDOW, 10_000, 100),
        tokens(OPUS_JAN, 50, 100)), NOW);

    assertThat(refused.refused()).isEqualTo(1);
    assertThat(reservedIn(JAN_WINDOW)).isEqualTo(OpenReservations.NONE);
    assertThat(reservedIn(OPUS_JAN)).isEqualTo(OpenReservations.NONE);

    assertThat(store.reserve(request("b", tokens(JAN_WINDOW, 10_000, 100), tokens(OPUS_JAN, 150, 100)), NOW)
        .granted()).isTrue();
    assertThat(reservedIn(JAN_WINDOW)).isEqualTo(new OpenReservations(100, 1));
    assertThat(reservedIn(OPUS_JAN)).isEqualTo(new OpenReservations(100, 1));
  }

  @Test
  void releaseEndsAReservationOnce() {
    store.reserve(request("a", tokens(JAN_WINDOW, 1_000, 1_000)), NOW);
    assertThat(store.reserve(request("b", tokens(JAN_WINDOW, 1_000, 1)), NOW).granted()).isFalse();

    assertThat(store.release("a", NOW)).isTrue();
    assertThat(store.release("a", NOW)).isFalse();
    assertThat(reservedIn(JAN_WINDOW)).isEqualTo(OpenReservations.NONE);
    assertThat(store.reserve(request("c", tokens(JAN_WINDOW, 1_000, 1_000)), NOW).granted()).isTrue();
  }

  @Test
  void commitRecordsTheActualUsageAndEndsTheReservationInOneStep() {
    store.reserve(request("a", tokens(JAN_WINDOW, 1_000, 500)), NOW);

    CommitResult commit = store.commit("a", List.of(event("m", 600, 100, NOW, "req-1")), List.of(JAN_WINDOW), NOW);

    assertThat(commit.held()).isTrue();
    assertThat(commit.recorded().recorded()).isEqualTo(1);
    assertThat(commit.recorded().windowTotals().get(0).totalTokens()).isEqualTo(700);
    assertThat(reservedIn(JAN_WINDOW)).isEqualTo(OpenReservations.NONE);
    assertThat(store.windowTotals(JAN_WINDOW).totalTokens()).isEqualTo(700);
    assertThat(store.query(UsageQuery.all()).total().totalTokens()).isEqualTo(700);
    assertThat(store.release("a", NOW)).isFalse();
  }

  @Test
  void aCommitOfAnUnknownIdStillRecordsTheUsage() {
    CommitResult commit = store.commit("unknown", List.of(event("m", 10, 5, NOW, null)), List.of(JAN_WINDOW), NOW);

    assertThat(commit.held()).isFalse();
    assertThat(store.windowTotals(JAN_WINDOW).totalTokens()).isEqualTo(15);
  }

  @Test
  void anExpiredReservationHoldsNothingAndItsLateCommitStillRecords() {
    store.reserve(request("a", tokens(JAN_WINDOW, 1_000, 900)), NOW);
    assertThat(store.reserve(new ReservationRequest("b", LATER.plusSeconds(60),
        List.of(tokens(JAN_WINDOW, 1_000, 200))), LATER.minusMillis(1)).granted()).isFalse();

    assertThat(store.reserved(JAN_WINDOW, BudgetUnit.TOKENS, LATER)).isEqualTo(OpenReservations.NONE);
    assertThat(store.reserve(new ReservationRequest("c", LATER.plusSeconds(60),
        List.of(tokens(JAN_WINDOW, 1_000, 1_000))), LATER).granted()).isTrue();
    CommitResult late = store.commit("a", List.of(event("m", 50, 0, NOW, null)), List.of(JAN_WINDOW), LATER);

    assertThat(late.held()).isFalse();
    assertThat(store.windowTotals(JAN_WINDOW).totalTokens()).isEqualTo(50);
    assertThat(store.reserved(JAN_WINDOW, BudgetUnit.TOKENS, LATER)).isEqualTo(new OpenReservations(1_000, 1));
  }

  @Test
  void aWindowNotKeptYetStartsFromTheLedgerAndIsKeptFromThenOn() {
    record(event("m", 400, 0, JAN.plusSeconds(5), null), event("m", 1, 0, FEB.plusSeconds(5), null));

    ReserveOutcome outcome = store.reserve(request("a", tokens(JAN_WINDOW, 1_000, 700)), NOW);
    record(event("m", 50, 0, JAN.plusSeconds(6), null));

    assertThat(outcome.refused()).isEqualTo(0);
    assertThat(outcome.states()).containsExactly(new HoldState(400, 0));
    assertThat(store.keepsWindow(JAN_WINDOW)).isTrue();
    assertThat(store.windowTotals(JAN_WINDOW).totalTokens()).isEqualTo(450);
  }

  @Test
  void aBudgetInDollarsIsHeldInNanoDollars() {
    TokenUsageEvent priced = TokenUsageEvent.builder("m").inputTokens(10).timestamp(JAN.plusSeconds(1))
        .costNanoUsd(2_000_000_000L).build();
    record(JAN_WINDOW, priced);
    Hold dollars = new Hold(JAN_WINDOW, BudgetUnit.USD, 2_500_000_000L, 400_000_000L);

    ReserveOutcome outcome = store.reserve(request("a", dollars), NOW);

    assertThat(outcome).isEqualTo(new ReserveOutcome(-1, List.of(new HoldState(2_000_000_000L, 0))));
    assertThat(store.reserved(JAN_WINDOW, BudgetUnit.USD, NOW)).isEqualTo(new OpenReservations(400_000_000L, 1));
    assertThat(reservedIn(JAN_WINDOW)).isEqualTo(OpenReservations.NONE);
    assertThat(store.reserve(request("b", dollars), NOW).refused()).isEqualTo(0);
  }

  @Test
  void aReservationWithoutHoldsIsKeptUntilSettled() {
    assertThat(store.reserve(request("a"), NOW).granted()).isTrue();
    assertThat(store.reserve(request("b"), NOW).granted()).isTrue();

    assertThat(store.release("a", NOW)).isTrue();
    assertThat(store.commit("b", List.of(event("m", 1, 0, NOW, null)), List.of(), NOW).held()).isTrue();
  }

  @Test
  void anIdThatIsOpenCannotBeReservedAgain() {
    store.reserve(request("a", tokens(JAN_WINDOW, 1_000, 1)), NOW);

    assertThatThrownBy(() -> store.reserve(request("a", tokens(JAN_WINDOW, 1_000, 1)), NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a");
    assertThat(reservedIn(JAN_WINDOW)).isEqualTo(new OpenReservations(1, 1));
  }

  @Test
  void concurrentCallersNeverReserveBeyondTheLimit() throws Exception {
    AtomicInteger granted = new AtomicInteger();
    AtomicInteger ids = new AtomicInteger();
    runConcurrently(8, worker -> {
      for (int i = 0; i < 40; i++) {
        String id = "w" + ids.incrementAndGet();
        if (store.reserve(request(id, tokens(JAN_WINDOW, 1_000, 10)), NOW).granted()) {
          granted.incrementAndGet();
          store.commit(id, List.of(event("m", 10, 0, NOW, id)), List.of(JAN_WINDOW), NOW);
        }
      }
      return null;
    });

    assertThat(granted.get()).isEqualTo(100);
    assertThat(store.windowTotals(JAN_WINDOW).totalTokens()).isEqualTo(1_000);
    assertThat(reservedIn(JAN_WINDOW)).isEqualTo(OpenReservations.NONE);
  }
}
