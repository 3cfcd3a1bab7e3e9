package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetManagerTest {

  private final MutableClock clock = MutableClock.at("2026-11-30T23:00:00Z");
  private final TokenBudget budget = TokenBudget.of(1_000, BudgetPeriod.MONTHLY);

  @Test
  void recordsAndReportsUsage() {
    BudgetManager manager = new BudgetManager(budget, clock);
    manager.record(720);
    assertThat(manager.getUsage()).isEqualTo(new Usage(720, 1_000, 0.72, 280));
    manager.record(600);
    assertThat(manager.getUsage()).isEqualTo(new Usage(1_320, 1_000, 1.32, 0));
  }

  @Test
  void expiresAtTheEndOfThePeriodAndResets() {
    BudgetManager manager = new BudgetManager(budget, clock);
    manager.record(500);
    assertThat(manager.isExpired()).isFalse();
    clock.advance(Duration.ofHours(1));
    assertThat(manager.isExpired()).isTrue();
    assertThat(manager.checkAndResetIfExpired()).isTrue();
    assertThat(manager.getUsage().used()).isZero();
    assertThat(manager.window().startInstant()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(manager.checkAndResetIfExpired()).isFalse();
  }

  @Test
  void downtimeOverSeveralPeriodsLandsInThePeriodOfNow() {
    BudgetManager manager = new BudgetManager(budget, clock);
    manager.record(10);
    clock.set(Instant.parse("2027-03-17T08:00:00Z"));
    manager.record(5);
    assertThat(manager.window().startInstant()).isEqualTo(Instant.parse("2027-03-01T00:00:00Z"));
    assertThat(manager.getUsage().used()).isEqualTo(5);
  }

  @Test
  void restoreKeepsFiredThresholdsSoNothingFiresAgain() {
    BudgetManager manager = new BudgetManager(budget, clock);
    manager.record(750);
    assertThat(manager.evaluateAlerts()).map(Alert::threshold).contains(0.7);
    BudgetSnapshot snapshot = manager.serialize();
    assertThat(snapshot).isEqualTo(new BudgetSnapshot(750, Instant.parse("2026-11-01T00:00:00Z"), List.of(0.5, 0.7)));

    BudgetManager restored = BudgetManager.deserialize(snapshot, budget, clock);
    assertThat(restored.getUsage().used()).isEqualTo(750);
    assertThat(restored.evaluateAlerts()).isEmpty();
    restored.record(60);
    assertThat(restored.evaluateAlerts()).map(Alert::threshold).contains(0.8);
  }

  @Test
  void restoreOfAnEndedPeriodStartsEmpty() {
    BudgetSnapshot old = new BudgetSnapshot(900, Instant.parse("2026-10-01T00:00:00Z"), List.of(0.5, 0.7, 0.8));
    BudgetManager restored = BudgetManager.deserialize(old, budget, clock);
    assertThat(restored.getUsage().used()).isZero();
    restored.record(500);
    assertThat(restored.evaluateAlerts()).map(Alert::threshold).contains(0.5);
  }
}
