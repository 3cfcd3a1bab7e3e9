package dev.tokenwatch.spring;

import dev.tokenwatch.config.BudgetLimit;
import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * One budget of {@code tokenwatch.budgets}, built with {@link TokenBudget#builder()} when bound: the
 * builder's {@link IllegalArgumentException} fails the binding, which Spring reports with the
 * property ({@code tokenwatch.budgets[i]}) and the domain's message. A value left out takes the
 * domain's default.
 */
public final class TokenwatchBudgetProperties {

  private final TokenBudget budget;

  /**
   * @param name the budget's name; "default" if left out
   * @param limit tokens per period; give this or {@code limitUsd} ({@link BudgetLimit}'s rule)
   * @param limitUsd US dollars per period (a decimal such as 250.00)
   * @param period daily, weekly or monthly; monthly if left out
   * @param zone the time zone of the period boundaries; UTC if left out
   * @param alertThresholds shares of the limit at which alerts fire; 0.5, 0.7, 0.8, 1.0 if left out
   * @param historySize how many recent events the budget's history shows
   * @param scope which calls the budget counts; every call if left out
   * @param forecastThresholds shares of the limit at which a forecast alert fires when the
   *     period's projected total reaches them; none if left out
   * @param forecastMinimum the usage (tokens, or nano-dollars for a USD budget) below which no
   *     forecast is made; 5% of the limit if left out
   * @param mode soft (alerts only) or hard (with {@code tokenwatch.admission.enabled}, calls that
   *     would pass it are refused); soft if left out
   */
  public TokenwatchBudgetProperties(String name, Long limit, BigDecimal limitUsd, String period, ZoneId zone,
      List<Double> alertThresholds, Integer historySize, Scope scope, List<Double> forecastThresholds,
      Long forecastMinimum, BudgetMode mode) {
    // the configuration file's rule, the keys named as the properties write them
    BudgetLimit.check(limit != null, limitUsd != null, true, key -> key.equals(BudgetLimit.USD_KEY) ? "limit-usd" : key);
    TokenBudget.Builder builder = TokenBudget.builder();
    if (name != null) {
      builder.name(name);
    }
    if (limit != null) {
      builder.limit(limit);
    }
    if (limitUsd != null) {
      builder.limitUsd(limitUsd);
    }
    if (period != null) {
      builder.period(BudgetPeriod.parse(period));
    }
    if (zone != null) {
      builder.zone(zone);
    }
    if (alertThresholds != null) {
      builder.alertThresholds(alertThresholds);
    }
    if (historySize != null) {
      builder.historySize(historySize);
    }
    if (scope != null) {
      builder.scope(scope.filter());
    }
    if (forecastThresholds != null) {
      builder.forecastThresholds(forecastThresholds);
    }
    if (forecastMinimum != null) {
      builder.forecastMinimum(forecastMinimum);
    }
    if (mode != null) {
      builder.mode(mode);
    }
    this.budget = builder.build();
  }

  /** The budget these properties describe. */
  public TokenBudget toBudget() {
    return budget;
  }

  /**
   * Which calls a budget counts: all given conditions must hold (see {@link UsageFilter}).
   *
   * @param models model names or globs ({@code gpt-4o*}), any of which must match
   * @param project the project the call must be made for
   * @param session the session the call must belong to
   * @param tags tags the call must carry with these values
   */
  public record Scope(List<String> models, String project, String session, Map<String, String> tags) {

    UsageFilter filter() {
      UsageFilter filter = UsageFilter.ANY.withModels(models == null ? List.of() : models)
          .withProject(project).withSession(session);
      for (Map.Entry<String, String> tag : (tags == null ? Map.<String, String>of() : tags).entrySet()) {
        filter = filter.withTag(tag.getKey(), tag.getValue());
      }
      return filter;
    }
  }
}
