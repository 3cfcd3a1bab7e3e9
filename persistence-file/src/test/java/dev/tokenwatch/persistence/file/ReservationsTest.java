package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.reservation.Hold;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reservations in the file store beyond the contract: two stores opened on one directory (each
 * with its own state, as two processes have) see each other's reservations at once; compaction
 * carries the open ones into the next journal and drops the expired ones; a reopened store replays
 * them.
 */
class ReservationsTest {

  private static final Instant T = Instant.parse("2026-01-10T12:00:00Z");
  private static final BudgetWindow JAN = new BudgetWindow("hard", Instant.parse("2026-01-01T00:00:00Z"),
      Instant.parse("2026-02-01T00:00:00Z"), UsageFilter.ANY);

  @TempDir
  Path directory;

  private static ReservationRequest request(String id, Instant expiresAt, long amount) {
    return new ReservationRequest(id, expiresAt, List.of(new Hold(JAN, BudgetUnit.TOKENS, 1_000, amount)));
  }

  private static TokenUsageEvent event(long tokens) {
    return TokenUsageEvent.builder("m").outputTokens(tokens).timestamp(T).build();
  }

  @Test
  void aReservationIsSeenAtOnceByAnotherStoreOnTheDirectoryAndEndsThereWithItsCommit() {
    try (FileUsageStore a = new FileUsageStore(directory); FileUsageStore b = new FileUsageStore(directory)) {
      assertThat(a.reserve(request("x", T.plusSeconds(60), 700), T).granted()).isTrue();

      assertThat(b.reserved(JAN, BudgetUnit.TOKENS, T)).isEqualTo(new OpenReservations(700, 1));
      assertThat(b.reserve(request("y", T.plusSeconds(60), 301), T).refused()).isZero();

      assertThat(a.commit("x", List.of(event(650)), List.of(JAN), T).held()).isTrue();
      assertThat(b.reserved(JAN, BudgetUnit.TOKENS, T)).isEqualTo(OpenReservations.NONE);
      assertThat(b.reserve(request("y", T.plusSeconds(60), 350), T).granted()).isTrue();
      assertThat(b.reserve(request("z", T.plusSeconds(60), 1), T).granted()).isFalse();
      assertThat(a.release("y", T)).isTrue();
      assertThat(b.release("y", T)).as("released by the other store already").isFalse();
      assertThat(b.windowTotals(JAN).totalTokens()).isEqualTo(650);
    }
  }

  @Test
  void anIdReusedAfterItExpiredElsewhereIsHeldOnce() {
    try (FileUsageStore a = new FileUsageStore(directory); FileUsageStore b = new FileUsageStore(directory)) {
      a.reserve(request("x", T.plusSeconds(1), 100), T);
      assertThat(b.reserved(JAN, BudgetUnit.TOKENS, T)).isEqualTo(new OpenReservations(100, 1));

      Instant later = T.plusSeconds(2);
      assertThat(a.reserve(request("x", later.plusSeconds(60), 200), later).granted()).isTrue();

      assertThat(b.reserved(JAN, BudgetUnit.TOKENS, T)).as("at a time the first was still open")
          .isEqualTo(new OpenReservations(200, 1));
    }
  }

  @Test
  void compactionCarriesOpenReservationsAndDropsExpiredOnes() throws Exception {
    try (FileUsageStore store = FileUsageStore.builder(directory).compactAfterEvents(1).build()) {
      store.reserve(request("short", T.plusSeconds(1), 100), T);
      store.reserve(request("long", T.plusSeconds(3600), 200), T);
      store.reserve(request("settled", T.plusSeconds(3600), 300), T);
      store.release("settled", T);

      store.commit("none", List.of(event(5)), List.of(JAN), T.plusSeconds(2)); // compacts: 1 event
    }
    assertThat(Files.exists(directory.resolve(Manifest.journalName(1)))).isTrue();
    try (FileUsageStore reopened = new FileUsageStore(directory)) {
      // sampled at T, when "short" had not expired yet: it is gone because the compaction dropped it
      long[] sample = reopened.reservationSample(JAN, BudgetUnit.TOKENS, () -> T);
      assertThat(sample).containsExactly(5, 200, 1);
      assertThat(reopened.commit("long", List.of(event(10)), List.of(JAN), T.plusSeconds(3)).held()).isTrue();
      assertThat(reopened.reservationSample(JAN, BudgetUnit.TOKENS, () -> T)).containsExactly(15, 0, 0);
    }
  }

  @Test
  void aReopenedStoreReplaysTheOpenReservations() {
    try (FileUsageStore store = new FileUsageStore(directory)) {
      store.reserve(request("x", T.plusSeconds(60), 400), T);
      store.reserve(request("y", T.plusSeconds(60), 100), T);
      store.release("y", T);
    }
    try (FileUsageStore reopened = new FileUsageStore(directory)) {
      assertThat(reopened.reserved(JAN, BudgetUnit.TOKENS, T)).isEqualTo(new OpenReservations(400, 1));
      assertThat(reopened.keepsWindow(JAN)).as("kept since the reservation").isTrue();
      assertThat(reopened.reserved(JAN, BudgetUnit.TOKENS, T.plusSeconds(60))).isEqualTo(OpenReservations.NONE);
    }
  }
}
