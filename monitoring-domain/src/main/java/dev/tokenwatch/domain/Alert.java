package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
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
 * @param used the amount used in the period when the alert was raised, in {@code unit}
 * @param limit the budget's limit, in {@code unit}
 * @param period the budget's period kind
 * @param periodEnd when the period ends and the budget resets, in the budget's zone
 * @param unit what {@code used} and {@code limit} count (tokens, or nano-dollars)
 * @param scope which events the budget counts
 * @param counts the period's totals when the alert was raised: tokens, cost and unpriced calls
 * @param kind whether usage reached the threshold or is projected to ({@link AlertKind#FORECAST})
 * @param reachesAt for a forecast, when usage reaches the threshold at the period's rate so far;
 *     {@code null} otherwise
 * @param id a stable id, the same in every delivery of this alert (retries, other processes), so a
 *     receiver can drop a repeat
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
    ZonedDateTime periodEnd,
    BudgetUnit unit,
    UsageFilter scope,
    Counts counts,
    AlertKind kind,
    Instant reachesAt,
    String id) {

  private static final DateTimeFormatter END_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ROOT);
  private static final DateTimeFormatter REACH_FORMAT = DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ROOT);

  public Alert {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(budgetName, "budgetName");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(periodEnd, "periodEnd");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
  }

  /**
   * An alert whose id is derived from what identifies it: budget, kind, threshold and the instant it
   * was raised (a threshold is claimed once per period, so no two alerts share these).
   */
  public Alert(AlertLevel level, double threshold, double percentage, String message, Instant timestamp,
      String budgetName, long used, long limit, BudgetPeriod period, ZonedDateTime periodEnd, BudgetUnit unit,
      UsageFilter scope, Counts counts, AlertKind kind, Instant reachesAt) {
    this(level, threshold, percentage, message, timestamp, budgetName, used, limit, period, periodEnd, unit, scope,
        counts, kind, reachesAt, AlertIds.of(budgetName, kind, threshold, timestamp));
  }

  /** An alert that usage reached {@code threshold} (not a forecast). */
  public Alert(AlertLevel level, double threshold, double percentage, String message, Instant timestamp,
      String budgetName, long used, long limit, BudgetPeriod period, ZonedDateTime periodEnd, BudgetUnit unit,
      UsageFilter scope, Counts counts) {
    this(level, threshold, percentage, message, timestamp, budgetName, used, limit, period, periodEnd, unit, scope,
        counts, AlertKind.THRESHOLD, null);
  }

  /**
   * The alert for {@code threshold} of {@code budget}, reached with {@code usage}, in {@code window}.
   * Its message names the budget, its scope unless it counts everything, the amount against the
   * limit, the tokens of a USD budget and its unpriced calls (which a USD budget cannot count).
   */
  public static Alert of(TokenBudget budget, double threshold, Usage usage, PeriodWindow window, Instant now) {
    StringBuilder message = new StringBuilder();
    message.append(budget.unit() == BudgetUnit.USD ? "Budget '" : "Token budget '").append(budget.name())
        .append("' at ").append(formatPercent(usage.percentage())).append(" (").append(usage.usedOfLimit());
    Counts counts = usage.counts();
    if (budget.unit() == BudgetUnit.USD) {
      message.append(", ").append(formatTokens(counts.totalTokens())).append(" tokens");
      if (counts.unpricedCalls() > 0) {
        message.append("; ").append(formatTokens(counts.unpricedCalls()))
            .append(counts.unpricedCalls() == 1 ? " unpriced call with " : " unpriced calls with ")
            .append(formatTokens(counts.unpricedTokens())).append(" tokens not counted");
      }
    }
    if (!budget.scope().isAny()) {
      message.append(", ").append(budget.scope());
    }
    message.append(", ").append(budget.period().label()).append(" period ends ")
        .append(formatPeriodEnd(window.end())).append(')');
    return new Alert(AlertLevel.forThreshold(threshold), threshold, usage.percentage(), message.toString(), now,
        budget.name(), usage.used(), usage.limit(), budget.period(), window.end(), budget.unit(), budget.scope(),
        counts);
  }

  /**
   * The forecast alert for {@code threshold} of {@code budget}: at the rate of {@code usage} so far,
   * the period's total reaches the threshold at {@code reachesAt}, before the period ends.
   */
  public static Alert forecast(TokenBudget budget, double threshold, Usage usage, Instant reachesAt,
      PeriodWindow window, Instant now) {
    String amount = budget.unit().format(budget.amountAt(threshold));
    String message = (budget.unit() == BudgetUnit.USD ? "Budget '" : "Token budget '") + budget.name()
        + "' projected to reach " + amount + " (" + formatPercent(threshold) + ") on "
        + REACH_FORMAT.format(reachesAt.atZone(window.end().getZone())) + " at this rate (" + usage.usedOfLimit()
        + " so far" + (budget.scope().isAny() ? "" : ", " + budget.scope()) + ", " + budget.period().label()
        + " period ends " + formatPeriodEnd(window.end()) + ")";
    return new Alert(AlertLevel.forThreshold(threshold), threshold, usage.percentage(), message, now, budget.name(),
        usage.used(), usage.limit(), budget.period(), window.end(), budget.unit(), budget.scope(), usage.counts(),
        AlertKind.FORECAST, reachesAt);
  }

  /**
   * A test alert for {@code budget}, showing its current {@code usage}: it says that it is a test
   * and reaches no threshold. {@code note} is added to the message (what else the test covers).
   */
  public static Alert test(TokenBudget budget, Usage usage, PeriodWindow window, Instant now, String note) {
    String message = "Test alert from tokenwatch doctor for budget '" + budget.name() + "': notifications work"
        + (note.isEmpty() ? "" : " (" + note + ")") + "; " + usage.usedOfLimit() + " used in the current " + budget.period().label()
        + " period, nothing was reached";
    return new Alert(AlertLevel.INFO, 0.0, usage.percentage(), message, now, budget.name(), usage.used(),
        usage.limit(), budget.period(), window.end(), budget.unit(), budget.scope(), usage.counts(), AlertKind.TEST,
        null);
  }

  /**
   * Where the budget stands, for a sink to write after its name: "at 72.4%", or for a forecast
   * "projected to reach $2,000.00 (100.0%) on Dec 19 14:00 at this rate".
   */
  public String state() {
    if (kind == AlertKind.TEST) {
      return "TEST ALERT from tokenwatch doctor: notifications work, nothing was reached";
    }
    if (kind == AlertKind.FORECAST && reachesAt != null) {
      return "projected to reach " + unit.format(TokenBudget.amountAt(threshold, limit)) + " (" + formatPercent(threshold) + ") on "
          + REACH_FORMAT.format(reachesAt.atZone(periodEnd.getZone())) + " at this rate";
    }
    return "at " + formatPercent(percentage);
  }

  /** The usage the alert was raised with. */
  public Usage usage() {
    return new Usage(used, limit, percentage, Math.max(0, limit - used), unit, counts);
  }

  /**
   * What the alert's figures say, for a sink to lay out: the amount against the limit, the other
   * unit beside it (a USD budget's tokens; a token budget's cost, only when every call of the period
   * was priced, since a partial cost would read as the whole) and the calls a USD budget could not
   * count.
   */
  public Figures figures() {
    String beside = unit == BudgetUnit.USD ? formatTokens(counts.totalTokens()) + " tokens"
        : counts.fullyPriced() && counts.costNanoUsd() > 0 ? Amounts.usd(counts.costNanoUsd()) : "";
    String unpriced = unit != BudgetUnit.USD || counts.unpricedCalls() == 0 ? ""
        : formatTokens(counts.unpricedCalls()) + (counts.unpricedCalls() == 1 ? " unpriced call (" : " unpriced calls (")
            + formatTokens(counts.unpricedTokens()) + " tokens) not counted";
    return new Figures(usage().usedOfLimit(), beside, unpriced);
  }

  /**
   * An alert's figures as text.
   *
   * @param usedOfLimit "$187.40 of $250.00" or "724,100 of 1,000,000 tokens"
   * @param beside the other unit, "48,000,000 tokens" or "$3.12", or "" for none
   * @param unpriced "3 unpriced calls (1,200 tokens) not counted", or "" for none
   */
  public record Figures(String usedOfLimit, String beside, String unpriced) {}

  /** "72.4%": a ratio as a percentage with one decimal, rounded half-up. */
  public static String formatPercent(double ratio) {
    return Amounts.percent(ratio);
  }

  /** "1,000,000": a token count with thousands separators. */
  public static String formatTokens(long tokens) {
    return Amounts.count(tokens);
  }

  /** "2026-12-01 00:00 UTC": when a period ends, in its zone. */
  public static String formatPeriodEnd(ZonedDateTime end) {
    return END_FORMAT.format(end);
  }
}
