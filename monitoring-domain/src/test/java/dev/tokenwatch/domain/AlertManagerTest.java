package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertManagerTest {

  private final MutableClock clock = MutableClock.at("2026-11-15T10:00:00Z");
  private final TokenBudget budget = TokenBudget.of(1_000_000, BudgetPeriod.MONTHLY);
  private final AlertManager alerts = new AlertManager(budget, clock);

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
  void eachThresholdFiresOnceInOrder() {
    List<Alert> seen = new ArrayList<>();
    alerts.setCallback(seen::add);
    for (double p = 0.0; p <= 1.2; p += 0.01) {
      alerts.evaluate(p);
    }
    assertThat(seen).extracting(Alert::threshold).containsExactly(0.5, 0.7, 0.8, 1.0);
    assertThat(seen).extracting(Alert::level)
        .containsExactly(AlertLevel.INFO, AlertLevel.WARNING, AlertLevel.WARNING, AlertLevel.CRITICAL);
  }

  @Test
  void jumpRaisesOnlyTheHighestAndMarksLowerAsFired() {
    assertThat(alerts.evaluate(0.4)).isEmpty();
    Alert alert = alerts.evaluate(0.85).orElseThrow();
    assertThat(alert.threshold()).isEqualTo(0.8);
    assertThat(alert.level()).isEqualTo(AlertLevel.WARNING);
    assertThat(alerts.firedThresholds()).containsExactly(0.5, 0.7, 0.8);
    assertThat(alerts.evaluate(0.6)).isEmpty();
    assertThat(alerts.evaluate(0.75)).isEmpty();
  }

  @Test
  void resetRearms() {
    alerts.evaluate(1.0);
    alerts.reset();
    assertThat(alerts.firedThresholds()).isEmpty();
    assertThat(alerts.evaluate(0.5)).map(Alert::threshold).contains(0.5);
  }

  @Test
  void messageIsASentence() {
    Alert alert = alerts.evaluate(new Usage(724_100, 1_000_000, 0.7241, 275_900)).orElseThrow();
    assertThat(alert.message())
        .isEqualTo("Token budget 'default' at 72.4% (724,100 of 1,000,000 tokens, monthly period ends 2026-12-01 00:00 UTC)");
    assertThat(alert.timestamp()).isEqualTo(clock.now());
    assertThat(alert.budgetName()).isEqualTo("default");
  }
}
