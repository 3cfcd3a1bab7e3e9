package dev.tokenwatch.domain.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The book's sums as reservations come and go, and the id rule; the stores' contract covers the rest. */
class ReservationBookTest {

  private static final Instant NOW = Instant.parse("2026-11-15T10:00:00Z");
  private static final BudgetWindow A = new BudgetWindow("a", Instant.parse("2026-11-01T00:00:00Z"),
      Instant.parse("2026-12-01T00:00:00Z"), UsageFilter.ANY);
  private static final BudgetWindow B = new BudgetWindow("b", Instant.parse("2026-11-15T00:00:00Z"),
      Instant.parse("2026-11-16T00:00:00Z"), UsageFilter.ANY);

  private final ReservationBook book = new ReservationBook();

  private static ReservationRequest request(String id, Instant expiresAt, long inA, long inB) {
    return new ReservationRequest(id, expiresAt, List.of(new Hold(A, BudgetUnit.TOKENS, 1_000, inA),
        new Hold(B, BudgetUnit.TOKENS, 1_000, inB)));
  }

  private ReserveOutcome reserve(ReservationRequest request) {
    return book.reserve(request, NOW, window -> Counts.ZERO);
  }

  @Test
  void sumsFollowReservationsInEveryWindowAndAreForgottenWhenNoneIsLeft() {
    assertThat(reserve(request("x", NOW.plusSeconds(60), 300, 100)).granted()).isTrue();
    assertThat(reserve(request("y", NOW.plusSeconds(60), 200, 50)).granted()).isTrue();
    assertThat(book.held(A, BudgetUnit.TOKENS, NOW)).isEqualTo(new OpenReservations(500, 2));
    assertThat(book.held(B, BudgetUnit.TOKENS, NOW)).isEqualTo(new OpenReservations(150, 2));

    ReserveOutcome refused = reserve(request("z", NOW.plusSeconds(60), 501, 0));
    assertThat(refused.refused()).isZero();
    assertThat(refused.states()).containsExactly(new HoldState(0, 500), new HoldState(0, 150));

    assertThat(book.settle("x", NOW)).isTrue();
    assertThat(book.settle("x", NOW)).isFalse();
    assertThat(book.settle("y", NOW)).isTrue();
    assertThat(book.held(A, BudgetUnit.TOKENS, NOW)).isEqualTo(OpenReservations.NONE);
    assertThat(book.held(A, BudgetUnit.USD, NOW)).isEqualTo(OpenReservations.NONE);

    assertThat(reserve(request("x", NOW.plusSeconds(60), 1_000, 0)).granted()).isTrue();
    assertThat(book.held(A, BudgetUnit.TOKENS, NOW)).isEqualTo(new OpenReservations(1_000, 1));
  }

  @Test
  void anOpenIdIsRefusedGrantedOrNotAndAReplayedOneReplacesItsEarlierSelf() {
    reserve(request("x", NOW.plusSeconds(60), 300, 100));
    assertThatThrownBy(() -> reserve(request("x", NOW.plusSeconds(60), 1, 1)))
        .hasMessage("reservation x is open already");
    assertThatThrownBy(() -> reserve(request("x", NOW.plusSeconds(60), 1_000, 1)))
        .hasMessage("reservation x is open already");
    assertThat(book.held(A, BudgetUnit.TOKENS, NOW)).isEqualTo(new OpenReservations(300, 1));

    book.add(request("x", NOW.plusSeconds(90), 40, 60));
    assertThat(book.held(A, BudgetUnit.TOKENS, NOW)).isEqualTo(new OpenReservations(40, 1));
    assertThat(book.held(B, BudgetUnit.TOKENS, NOW)).isEqualTo(new OpenReservations(60, 1));
    assertThat(book.open()).extracting(ReservationRequest::expiresAt).containsExactly(NOW.plusSeconds(90));
  }

  @Test
  void expiredReservationsLeaveTheSumsAndTheirLateSettleSaysSo() {
    reserve(request("early", NOW.plusSeconds(10), 100, 0));
    reserve(request("late", NOW.plusSeconds(100), 200, 0));
    assertThat(book.held(A, BudgetUnit.TOKENS, NOW.plusSeconds(10))).isEqualTo(new OpenReservations(200, 1));
    assertThat(book.settle("early", NOW.plusSeconds(10))).isFalse();
    assertThat(book.expire(NOW.plusSeconds(100))).containsExactly("late");
    assertThat(book.held(A, BudgetUnit.TOKENS, NOW.plusSeconds(100))).isEqualTo(OpenReservations.NONE);
    assertThat(book.size()).isZero();
  }

  @Test
  void idsAreLettersDigitsDotUnderscoreAndDash() {
    String allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
    // 65 characters: one more than an id may have
    assertThat(ReservationRequest.requireValidId(allowed.substring(0, 40))).hasSize(40);
    assertThat(ReservationRequest.requireValidId(allowed.substring(40))).hasSize(25);
    for (char c = 0; c < 256; c++) {
      if (allowed.indexOf(c) < 0) {
        String id = "r" + c + "1";
        assertThatThrownBy(() -> ReservationRequest.requireValidId(id)).as("char %d", (int) c)
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
    for (String id : new String[] {"", "a".repeat(65), "r\u0130", "r\u4e00", "r\u012d"}) {
      assertThatThrownBy(() -> ReservationRequest.requireValidId(id)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(ReservationRequest.requireValidId("a".repeat(64))).hasSize(64);
  }
}
