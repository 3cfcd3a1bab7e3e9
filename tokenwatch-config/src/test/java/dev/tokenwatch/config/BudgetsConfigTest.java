package dev.tokenwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code budgets:} and {@code budget:}: limits in tokens or dollars, scopes, and every error. */
class BudgetsConfigTest {

  /** The four budgets of the issue. */
  static final String FOUR_BUDGETS = """
      budgets:
        - {name: org-month, limit: 2000 USD, period: monthly}
        - {name: org-day,   limit: 150 USD,  period: daily, alertThresholds: [0.8, 1.0]}
        - {name: search,    limit: 400 USD,  period: monthly, scope: {tags: {team: search}}}
        - {name: opus,      limit: 20000000, period: weekly,  scope: {models: ["claude-opus-*"]}}
      """;

  @TempDir
  Path dir;

  private AppConfig parse(String yaml) {
    TestEnvironment harness = new TestEnvironment(dir);
    harness.variables.put("TEAM", "search");
    return new ConfigLoader(harness.environment()).parse(yaml, "config.yaml", dir.resolve("config.yaml"));
  }

  private static TokenUsageEvent event(String model, String team) {
    TokenUsageEvent.Builder builder = TokenUsageEvent.builder(model).inputTokens(1).timestamp(Instant.EPOCH);
    return (team == null ? builder : builder.tag("team", team)).build();
  }

  @Test
  void readsSeveralBudgetsInDollarsAndTokensWithScopes() {
    List<TokenBudget> budgets = parse(FOUR_BUDGETS).budgets();
    assertThat(budgets).extracting(TokenBudget::name).containsExactly("org-month", "org-day", "search", "opus");
    assertThat(budgets).extracting(TokenBudget::unit)
        .containsExactly(BudgetUnit.USD, BudgetUnit.USD, BudgetUnit.USD, BudgetUnit.TOKENS);
    assertThat(budgets).extracting(TokenBudget::limit)
        .containsExactly(2_000_000_000_000L, 150_000_000_000L, 400_000_000_000L, 20_000_000L);
    assertThat(budgets).extracting(TokenBudget::period)
        .containsExactly(BudgetPeriod.MONTHLY, BudgetPeriod.DAILY, BudgetPeriod.MONTHLY, BudgetPeriod.WEEKLY);
    assertThat(budgets.get(0).alertThresholds()).isEqualTo(TokenBudget.DEFAULT_THRESHOLDS);
    assertThat(budgets.get(1).alertThresholds()).containsExactly(0.8, 1.0);
    assertThat(budgets.get(0).scope()).isEqualTo(UsageFilter.ANY);
    assertThat(budgets.get(2).scope()).isEqualTo(UsageFilter.ANY.withTag("team", "search"));
    assertThat(budgets.get(2).scope().matches(event("gpt-4o", "search"))).isTrue();
    assertThat(budgets.get(2).scope().matches(event("gpt-4o", "core"))).isFalse();
    assertThat(budgets.get(3).scope().matches(event("claude-opus-4-1", null))).isTrue();
    assertThat(budgets.get(3).scope().matches(event("claude-sonnet-4-5", null))).isFalse();
    assertThat(parse(FOUR_BUDGETS).budget()).as("the first, for what needs one").isEqualTo(budgets.get(0));
  }

  @Test
  void theSingleBudgetSectionIsAListOfOne() {
    String single = "budget:\n  name: team\n  limit: 5000\n  period: weekly\n";
    String list = "budgets:\n  - name: team\n    limit: 5000\n    period: weekly\n";
    assertThat(parse(single).budgets()).hasSize(1).isEqualTo(parse(list).budgets());
    assertThat(parse("").budgets()).containsExactly(AppConfig.defaultBudget());
    assertThat(parse("budget:\n").budgets()).containsExactly(AppConfig.defaultBudget());
    assertThat(parse("budget:\n  limit: 250 USD\n").budget().unit()).isEqualTo(BudgetUnit.USD);
  }

  @Test
  void forecastThresholdsAndMinimumAreReadInTheBudgetsUnit() {
    List<TokenBudget> budgets = parse("budgets:\n"
        + "  - {name: org, limit: 2000 USD, forecastThresholds: [1.0], forecastMinimum: 50 USD}\n"
        + "  - {name: opus, limit: 20000000, forecastThresholds: [\"80%\", 1.0]}\n").budgets();
    assertThat(budgets.get(0).forecastThresholds()).containsExactly(1.0);
    assertThat(budgets.get(0).forecastMinimum()).isEqualTo(50_000_000_000L);
    assertThat(budgets.get(1).forecastThresholds()).containsExactly(0.8, 1.0);
    assertThat(budgets.get(1).forecastMinimum()).isEqualTo(1_000_000L);
    assertThatThrownBy(() -> parse("budgets:\n  - {name: org, limit: 2000 USD, forecastMinimum: 5000}\n"))
        .hasMessageContaining("budgets[0].forecastMinimum must be in the budget's unit, US dollars such as 5 USD,"
            + " got \"5000\"");
  }

  @Test
  void dollarLimitsAreExactInEveryForm() {
    assertThat(usd("limit: 250 USD")).isEqualTo(250_000_000_000L);
    assertThat(usd("limit: 12.50 usd")).isEqualTo(12_500_000_000L);
    assertThat(usd("limit: \"1_000USD\"")).isEqualTo(1_000_000_000_000L);
    assertThat(usd("limitUsd: 250")).isEqualTo(250_000_000_000L);
    assertThat(usd("limitUsd: 0.000000001")).isEqualTo(1L);
    assertThat(parse("budgets:\n  - name: a\n    limit: 1_000_000\n").budget().unit()).isEqualTo(BudgetUnit.TOKENS);
  }

  private long usd(String limit) {
    TokenBudget budget = parse("budgets:\n  - name: a\n    " + limit + "\n").budget();
    assertThat(budget.unit()).isEqualTo(BudgetUnit.USD);
    return budget.limit();
  }

  @Test
  void scopesTakeEveryDimensionAndVariables() {
    UsageFilter scope = parse("""
        budgets:
          - name: a
            limit: 5
            scope:
              models: claude-*
              project: search-api
              session: s-1
              tags: {team: "${TEAM}", env: prod}
        """).budget().scope();
    assertThat(scope).isEqualTo(UsageFilter.models("claude-*").withProject("search-api").withSession("s-1")
        .withTag("team", "search").withTag("env", "prod"));
    assertThat(parse("budgets:\n  - {name: a, limit: 5, scope: {}}\n").budget().scope()).isEqualTo(UsageFilter.ANY);
    assertThat(parse("budgets:\n  - {name: a, limit: 5, scope: }\n").budget().scope()).isEqualTo(UsageFilter.ANY);
  }

  static Stream<Arguments> errors() {
    String a = "budgets:\n  - name: a\n";
    return Stream.of(
        Arguments.of("budget:\n  limit: 5\nbudgets:\n  - {name: a, limit: 5}\n",
            "config.yaml line 3: budgets (line 3) and budget (line 1) are both given; budget: is the one-budget "
                + "form of budgets:, so write that budget as an element of budgets: (or keep budget: alone)"),
        Arguments.of("budgets:\n  - name: a\n    limit: 5\n  - name: b\n    limit: 5\n  - name: a\n    limit: 6\n",
            "config.yaml line 6: budgets[2].name \"a\" is also the name of budgets[0] (line 2); budget names must be "
                + "unique"),
        Arguments.of("budgets:\n  - limit: 5\n",
            "config.yaml line 2: budgets[0].name is missing: each budget of budgets: needs a name (letters, digits, "
                + ". _ -)"),
        Arguments.of(a,
            "config.yaml line 2: budgets[0].limit is missing: a budget's limit in tokens such as 20000000, or "
                + "budgets[0].limitUsd in US dollars such as 250"),
        Arguments.of(a + "    limit: 250 USD\n    limitUsd: 250\n",
            "config.yaml line 4: budgets[0].limit (line 3) and budgets[0].limitUsd (line 4) are both given; write "
                + "one: a budget's limit is in tokens or in US dollars"),
        Arguments.of(a + "    limit: 250 EUR\n",
            "config.yaml line 3: budgets[0].limit must be in US dollars (USD), the only currency prices are kept in, "
                + "got \"250 EUR\"; write an amount such as 250 USD, or tokens as a whole number"),
        Arguments.of(a + "    limit: lots\n",
            "config.yaml line 3: budgets[0].limit must be a positive whole number of tokens such as 1000000, or US "
                + "dollars such as 250 USD, got \"lots\""),
        Arguments.of(a + "    limit: 0 USD\n",
            "config.yaml line 3: budgets[0].limit must be a positive amount of US dollars such as 250 or 12.50, got "
                + "\"0 USD\""),
        Arguments.of(a + "    limitUsd: -3\n",
            "config.yaml line 3: budgets[0].limitUsd must be a positive amount of US dollars such as 250 or 12.50, "
                + "got \"-3\""),
        Arguments.of(a + "    limitUsd: 0.0000000001\n",
            "config.yaml line 3: budgets[0].limitUsd in USD must have at most 9 decimal places and be below "
                + "9,000,000,000, got \"0.0000000001\""),
        Arguments.of(a + "    limt: 5\n",
            "config.yaml line 3: budgets[0].limt is not a known key; did you mean budgets[0].limit?"),
        Arguments.of(a + "    limit: 5\n    scope: {model: gpt-4o}\n",
            "config.yaml line 4: budgets[0].scope.model is not a known key; did you mean budgets[0].scope.models?"),
        Arguments.of(a + "    limit: 5\n    scope: everything\n",
            "config.yaml line 4: budgets[0].scope must be a mapping with keys such as models, project, session, "
                + "tags, got a value"),
        Arguments.of(a + "    limit: 5\n    scope:\n      models: []\n",
            "config.yaml line 5: budgets[0].scope.models must list at least one model name or pattern such as "
                + "\"claude-opus-*\" (leave the key out for every model), got an empty list"),
        Arguments.of(a + "    limit: 5\n    scope:\n      models: [gpt-4o, {a: b}]\n",
            "config.yaml line 5: budgets[0].scope.models[1] must be a model name or a pattern with * and ? such as "
                + "\"claude-opus-*\", got a mapping"),
        Arguments.of(a + "    limit: 5\n    scope:\n      tags: {Team: search}\n",
            "config.yaml line 5: budgets[0].scope.tags.Team: tag key must match [a-z][a-z0-9_.-]{0,31}, got "
                + "\"Team\""),
        Arguments.of(a + "    limit: 5\n    scope:\n      tags: [team]\n",
            "config.yaml line 5: budgets[0].scope.tags must be a mapping with keys such as team, env, got a list"),
        Arguments.of(a + "    limit: 5\n    scope:\n      project: \" \"\n",
            "config.yaml line 5: budgets[0].scope.project must not be blank when given, got \" \""),
        Arguments.of("budgets: {name: a, limit: 5}\n",
            "config.yaml line 1: budgets must be a list such as [{name: org, limit: 2000 USD, period: monthly}], got "
                + "a mapping"),
        Arguments.of("budgets: []\n",
            "config.yaml line 1: budgets must list at least one budget such as [{name: org, limit: 2000 USD, "
                + "period: monthly}], got an empty list"),
        Arguments.of("budgets:\n  - 5\n",
            "config.yaml line 2: budgets[0] must be a mapping with keys such as name, limit, limitUsd, period, "
                + "alertThresholds, zone, historySize, scope, forecastThresholds, forecastMinimum, mode, got a value"),
        Arguments.of("budgets:\n  - name: a\n    limit: 5\n    alertThresholds: [0]\n",
            "config.yaml line 4: budgets[0].alertThresholds[0] must be above 0 and at most 10 (1000%), got \"0\""));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void errorsNameFileLineKeyAndValue(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
  }
}
