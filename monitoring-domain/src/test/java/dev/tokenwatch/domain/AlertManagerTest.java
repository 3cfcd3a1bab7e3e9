package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.Counts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.outbox.AlertDelivery;
import dev.tokenwatch.domain.outbox.DeliveryPolicy;
import dev.tokenwatch.domain.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertManagerTest {

  private final MutableClock clock = MutableClock.at("2026-11-15T10:00:00Z");
  private final TokenBudget budget = TokenBudget.of(1_000_000, BudgetPeriod.MONTHLY);
  private final InMemoryUsageStore store = spy(new InMemoryUsageStore());
  private final List<Alert> delivered = new ArrayList<>();
  private final AlertDelivery delivery = new AlertDelivery(List.of(), store.outbox(), clock, DeliveryPolicy.DEFAULT);
  private final AlertManager alerts = new AlertManager(budget, store, delivery);
  private final BudgetManager calendar = new BudgetManager(budget, clock, p -> {});

  private java.util.Optional<Alert> at(long used) {
    java.util.Optional<Alert> raised =
        alerts.evaluate(calendar.current(), calendar.usage(new Counts(used, 0, 0, 0, used, 1)), clock.now());
    raised.ifPresent(delivered::add);
    return raised;
  }

  @Test
  void levelsFollowThresholds() {
    assertThat(AlertManager.getAlertLevel(0.5)).isEqualTo(AlertLevel.INFO);
    assertThat(AlertManager.getAlertLevel(0.69)).isEqualTo(AlertLevel.INFO);
    assertThat(AlertManager.getAlertLevel(0.7)).isEqualTo(AlertLevel.WARNING);
    assertThat(AlertManager.getAlertLevel(0.89)).isEqualTo(AlertLevel.WARNING);
    assertThat(AlertManager.getAlertLevel(0.9)).isEqualTo(AlertLevel.CRITICAL);
    assertThat(AlertManager.getAlertLevel(1.0)).isEqualTo(AlertLevel.CRITICAL);
  }

  @Test
  void eachThresholdFiresOnceInOrderAndIsDelivered() {
    for (long used = 0; used <= 1_200_000; used += 10_000) {
      at(used);
    }
    assertThat(delivered).extracting(Alert::threshold).containsExactly(0.5, 0.7, 0.8, 1.0);
    assertThat(delivered).extracting(Alert::level)
        .containsExactly(AlertLevel.INFO, AlertLevel.WARNING, AlertLevel.WARNING, AlertLevel.CRITICAL);
  }

  @Test
  void jumpRaisesOnlyTheHighestAndMarksLowerAsFired() {
    assertThat(at(400_000)).isEmpty();
    Alert alert = at(850_000).orElseThrow();
    assertThat(alert.threshold()).isEqualTo(0.8);
    assertThat(alerts.firedThresholds(calendar.current())).containsExactly(0.5, 0.7, 0.8);
    assertThat(at(860_000)).isEmpty();
  }

  @Test
  void aKnownClaimSavesTheStoreCallUntilUsageDrops() {
    at(550_000);
    at(560_000);
    at(570_000);
    verify(store, times(1)).claimThreshold(any(), anyDouble(), any());
    at(10_000); // usage dropped: a reset elsewhere; the store is asked again at the next threshold
    at(500_000);
    verify(store, times(2)).claimThreshold(any(), anyDouble(), any());
  }

  @Test
  void aThresholdClaimedByAnotherManagerIsNotRaisedAgain() {
    AlertManager other = new AlertManager(budget, store, delivery);
    other.evaluate(calendar.current(), calendar.usage(new Counts(700_000, 0, 0, 0, 700_000, 1)), clock.now()).ifPresent(delivered::add);
    assertThat(at(710_000)).isEmpty();
    assertThat(delivered).hasSize(1);
  }

  @Test
  void aNewPeriodRearms() {
    at(1_000_000);
    clock.advance(Duration.ofDays(20));
    assertThat(at(500_000)).map(Alert::threshold).contains(0.5);
  }

  @Test
  void messageIsASentence() {
    Alert alert = at(724_100).orElseThrow();
    assertThat(alert.message())
        .isEqualTo("Token budget 'default' at 72.4% (724,100 of 1,000,000 tokens, monthly period ends 2026-12-01 00:00 UTC)");
    assertThat(alert.timestamp()).isEqualTo(clock.now());
    assertThat(alert.budgetName()).isEqualTo("default");
  }
}
