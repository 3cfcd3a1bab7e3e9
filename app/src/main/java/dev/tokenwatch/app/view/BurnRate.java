package dev.tokenwatch.app.view;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.Forecast;
import dev.tokenwatch.domain.PeriodWindow;
import dev.tokenwatch.domain.TokenBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How fast a budget's current period is being used: the average per day so far (per hour for a daily
 * budget, whose day is the period), and where that leads by the period's end: the domain's {@link
 * Forecast}, the same linear rule at the same rate, which makes no projection on thin evidence.
 *
 * @param average the amount per {@code per} so far, in the budget's unit, rounded
 * @param per a day, or an hour for a daily budget
 * @param elapsed the part of the period gone
 * @param forecast the projection to the period's end, if the evidence suffices
 */
record BurnRate(long average, Duration per, Duration elapsed, Optional<Forecast> forecast) {

  /** The rate of {@code used} in {@code window} at {@code now}; empty before the period has begun. */
  static Optional<BurnRate> of(TokenBudget budget, PeriodWindow window, long used, Instant now,
      Optional<Forecast> forecast) {
    Duration elapsed = Duration.between(window.startInstant(), now);
    if (elapsed.toMillis() <= 0) { // in milliseconds, as Forecast counts
      return Optional.empty();
    }
    Duration per = budget.period() == BudgetPeriod.DAILY ? Duration.ofHours(1) : Duration.ofDays(1);
    double average = (double) used * per.toMillis() / elapsed.toMillis();
    return Optional.of(new BurnRate(average >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.round(average), per, elapsed,
        forecast));
  }

  /** "day" or "hour", as in the JSON. */
  String perLabel() {
    return per.equals(Duration.ofHours(1)) ? "hour" : "day";
  }

  /** "$75.80 a day", "1,250 tokens an hour". */
  String rateText(TokenBudget budget) {
    return budget.unit().format(average) + (perLabel().equals("hour") ? " an hour" : " a day");
  }

  /**
   * "$75.80 a day on average so far (15d 12h); projected $2,349.60 (117.5%) by the period's end; the
   * limit is reached 2026-11-22 09:48 UTC", or why there is no projection yet.
   */
  String text(TokenBudget budget) {
    StringBuilder text = new StringBuilder(rateText(budget)).append(" on average so far (")
        .append(Format.duration(elapsed)).append("); ");
    if (forecast.isEmpty()) {
      return text.append("no projection yet: it needs ").append(Format.percent(Forecast.MIN_ELAPSED_SHARE))
          .append(" of the period gone and ").append(Format.amount(budget.unit(), budget.forecastMinimum()))
          .append(" used").toString();
    }
    Forecast f = forecast.get();
    text.append("projected ").append(Format.amount(budget.unit(), f.projected())).append(" (")
        .append(Format.percent(f.ratio())).append(") by the period's end");
    if (f.limitReachedAt() != null) {
      text.append("; the limit is reached ").append(Format.time(f.limitReachedAt().atZone(budget.zone())));
    }
    return text.toString();
  }
}
