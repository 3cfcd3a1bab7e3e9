package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forecasts: the linear projection of a period, and forecast alerts raised once per period. */
class ForecastTest {

  /** November 2026 has 30 days; three days in, a tenth of the period has passed. */
  private static final Instant NOV_4 = Instant.parse("2026-11-04T00:00:00Z");

  private final MutableClock clock = MutableClock.at("2026-11-04T00:00:00Z");
  private final InMemoryUsageStore store = new InMemoryUsageStore();
  private final List<Alert> alerts = Collections.synchronizedList(new ArrayList<>());
  private final TokenBudget budget = TokenBudget.builder().name("team").limit(1_000).period(BudgetPeriod.MONTHLY)
      .alertThresholds(List.of(1.0)).forecastThresholds(List.of(0.8, 1.0)).build();

  private TokenTracker tracker() {
    return TokenTracker.builder(budget).store(store).clock(clock).sink(alerts::add).build();
  }

  private TokenUsageEvent tokens(long n) {
    return TokenUsageEvent.builder("m").inputTokens(n).timestamp(clock.now()).build();
  }

  private static PeriodWindow november(TokenBudget b) {
    return b.period().windowOf(NOV_4, ZoneOffset.UTC);
  }

  @Test
  void theProjectionIsLinearInTheElapsedShareOfThePeriod() {
    Forecast forecast = Forecast.of(budget, november(budget), 200, NOV_4).orElseThrow();
    assertThat(forecast.projected()).isEqualTo(2_000);
    assertThat(forecast.ratio()).isEqualTo(2.0);
    // 800 tokens to go at 200 per 3 days: 12 more days
    assertThat(forecast.limitReachedAt()).isEqualTo(Instant.parse("2026-11-16T00:00:00Z"));
  }

  @Test
  void thereIsNoProjectionOnThinEvidence() {
    Instant tooEarly = NOV_4.minus(Duration.ofMinutes(1));
    assertThat(Forecast.of(budget, november(budget), 500, tooEarly)).isEmpty();
    assertThat(budget.forecastMinimum()).isEqualTo(50);
    assertThat(Forecast.of(budget, november(budget), 49, NOV_4)).isEmpty();
    assertThat(Forecast.of(budget, november(budget), 50, NOV_4)).isPresent();
  }

  @Test
  void aForecastAlertFiresOncePerPeriodAndSaysWhenTheThresholdIsReached() {
    TokenTracker tracker = tracker();
    TrackResult first = tracker.track(tokens(300)); // projected 3,000 tokens: both forecast thresholds

    assertThat(first.alerts()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo(AlertKind.FORECAST);
      assertThat(a.threshold()).isEqualTo(1.0);
      assertThat(a.reachesAt()).isEqualTo(Instant.parse("2026-11-11T00:00:00Z"));
      assertThat(a.message()).isEqualTo("Token budget 'team' projected to reach 1,000 tokens (100.0%) on Nov 11 00:00"
          + " at this rate (300 of 1,000 tokens so far, monthly period ends 2026-12-01 00:00 UTC)");
    });
    tracker.track(tokens(10));
    tracker().track(tokens(10)); // another tracker (another process) over the same store
    assertThat(alerts).hasSize(1);
    assertThat(tracker.budget("team").getFiredForecasts()).containsExactly(0.8, 1.0);
  }

  @Test
  void aThresholdAlreadyReachedIsNotForecast() {
    TokenTracker tracker = tracker();
    TrackResult result = tracker.track(tokens(1_000));
    assertThat(result.alerts()).extracting(Alert::kind).containsExactly(AlertKind.THRESHOLD);
  }

  @Test
  void aLowerForecastFiresFirstAndAResetRearmsThem() {
    TokenTracker tracker = tracker();
    clock.set(Instant.parse("2026-11-10T00:00:00Z")); // 9 of 30 days
    assertThat(tracker.track(tokens(250)).alerts()).extracting(Alert::kind, Alert::threshold)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertKind.FORECAST, 0.8)); // projected 833
    assertThat(tracker.track(tokens(60)).alerts()).extracting(Alert::threshold).containsExactly(1.0); // 1,033

    tracker.reset();
    assertThat(tracker.budget("team").getFiredForecasts()).isEmpty();
    assertThat(tracker.track(tokens(310)).alerts()).extracting(Alert::threshold).containsExactly(1.0);
  }

  @Test
  void theBudgetsForecastIsShownOnceThereIsEvidence() {
    TokenTracker tracker = tracker();
    assertThat(tracker.budget("team").getForecast()).isEmpty();
    tracker.track(tokens(100));
    assertThat(tracker.budget("team").getForecast()).map(Forecast::projected).contains(1_000L);
  }
}
