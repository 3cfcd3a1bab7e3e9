package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.Counts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetManagerTest {

  private final MutableClock clock = MutableClock.at("2026-11-30T23:00:00Z");
  private final TokenBudget budget = TokenBudget.of(1_000, BudgetPeriod.MONTHLY);
  private final List<BudgetManager.Period> rollovers = new ArrayList<>();

  private BudgetManager manager(TokenBudget b) {
    return new BudgetManager(b, clock, rollovers::add);
  }

  @Test
  void theCurrentPeriodIsTheStoresWindowOfTheBudget() {
    TokenBudget scoped = budget.toBuilder().name("opus").scope(UsageFilter.models("claude-opus-*")).build();
    BudgetManager.Period period = manager(scoped).current();
    assertThat(period.window().startInstant()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(period.storeWindow().budget()).isEqualTo("opus");
    assertThat(period.storeWindow().end()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(period.storeWindow().scope()).isEqualTo(UsageFilter.models("claude-opus-*"));
  }

  @Test
  void rollsOverAtTheEndOfThePeriodAndSaysSoOnce() {
    BudgetManager manager = manager(budget);
    assertThat(manager.current().contains(clock.now())).isTrue();
    clock.advance(Duration.ofHours(1));
    assertThat(manager.current().start()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(manager.current().start()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(rollovers).extracting(BudgetManager.Period::start).containsExactly(Instant.parse("2026-12-01T00:00:00Z"));
  }

  @Test
  void downtimeOverSeveralPeriodsLandsInThePeriodOfNow() {
    BudgetManager manager = manager(budget);
    clock.set(Instant.parse("2027-03-17T08:00:00Z"));
    assertThat(manager.current().start()).isEqualTo(Instant.parse("2027-03-01T00:00:00Z"));
  }

  @Test
  void aClockSteppingBackDoesNotReportARollover() {
    BudgetManager manager = manager(budget);
    clock.set(Instant.parse("2026-10-15T00:00:00Z"));
    assertThat(manager.current().start()).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
    assertThat(rollovers).isEmpty();
  }

  @Test
  void periodsAreCutInTheBudgetsZone() {
    BudgetManager berlin = manager(TokenBudget.builder().limit(10).period(BudgetPeriod.DAILY)
        .zone(ZoneId.of("Europe/Berlin")).build());
    BudgetManager.Period dst = berlin.periodOf(Instant.parse("2026-03-29T12:00:00Z"));
    assertThat(Duration.between(dst.start(), dst.storeWindow().end())).isEqualTo(Duration.ofHours(23));
  }

  @Test
  void usageIsMeasuredAgainstTheLimit() {
    Counts c720 = new Counts(700, 0, 0, 0, 720, 1);
    Counts c1320 = new Counts(1_320, 0, 0, 0, 1_320, 2);
    assertThat(manager(budget).usage(c720)).isEqualTo(new Usage(720, 1_000, 0.72, 280, BudgetUnit.TOKENS, c720));
    assertThat(manager(budget).usage(c1320)).isEqualTo(new Usage(1_320, 1_000, 1.32, 0, BudgetUnit.TOKENS, c1320));
  }
}
