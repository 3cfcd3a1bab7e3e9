package dev.tokenwatch.domain;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * An alert raised because a budget's usage reached a threshold in the current period.
 *
 * @param level severity, derived from the threshold
 * @param threshold the threshold reached (0.7 = 70%)
 * @param percentage the usage ratio when it was reached (may be above the threshold)
 * @param message a sentence a person reads
 * @param timestamp when the alert was raised
 * @param budgetName the budget's name
 * @param used tokens used in the period when the alert was raised
 * @param limit the budget's limit
 * @param period the budget's period kind
 * @param periodEnd when the period ends and the budget resets, in the budget's zone
 */
public record Alert(
    AlertLevel level,
    double threshold,
    double percentage,
    String message,
    Instant timestamp,
    String budgetName,
    long used,
    long limit,
    BudgetPeriod period,
    ZonedDateTime periodEnd) {

  private static final DateTimeFormatter END_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ROOT);

  public Alert {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(budgetName, "budgetName");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(periodEnd, "periodEnd");
  }

  /** The alert for {@code threshold} of {@code budget}, reached with {@code usage}, in {@code window}. */
  public static Alert of(TokenBudget budget, double threshold, Usage usage, PeriodWindow window, Instant now) {
    String message = "Token budget '" + budget.name() + "' at " + formatPercent(usage.percentage()) + " ("
        + formatTokens(usage.used()) + " of " + formatTokens(usage.limit()) + " tokens, " + budget.period().label()
        + " period ends " + formatPeriodEnd(window.end()) + ")";
    return new Alert(AlertLevel.forThreshold(threshold), threshold, usage.percentage(), message, now, budget.name(),
        usage.used(), usage.limit(), budget.period(), window.end());
  }

  /** "72.4%": a ratio as a percentage with one decimal, rounded half-up. */
  public static String formatPercent(double ratio) {
    return String.format(Locale.ROOT, "%.1f%%", ratio * 100.0);
  }

  /** "1,000,000": a token count with thousands separators. */
  public static String formatTokens(long tokens) {
    return String.format(Locale.ROOT, "%,d", tokens);
  }

  /** "2026-12-01 00:00 UTC": when a period ends, in its zone. */
  public static String formatPeriodEnd(ZonedDateTime end) {
    return END_FORMAT.format(end);
  }
}
