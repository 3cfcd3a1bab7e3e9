package dev.tokenwatch.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackOutcome;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenwatchMetricsTest {

  private final InMemoryUsageStore store = new InMemoryUsageStore();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TokenTracker tracker;

  @BeforeEach
  void setUp() {
    tracker = TokenTracker.builder(List.of(
            TokenBudget.builder().name("tokens").limit(1_000_000).period(BudgetPeriod.MONTHLY).build(),
            TokenBudget.builder().name("claude-spend").limitUsd(new BigDecimal("250")).period(BudgetPeriod.MONTHLY)
                .scope(UsageFilter.models("claude-*")).build()))
        .store(store).build();
  }

  private static TokenUsageEvent event(String id, String model, long input, long output, long cacheWrite,
      long cacheRead) {
    return TokenUsageEvent.builder(model).inputTokens(input).outputTokens(output).cacheCreationTokens(cacheWrite)
        .cacheReadTokens(cacheRead).timestamp(Instant.now()).requestId(id).build();
  }

  private double summaryTotal(String type, String model) {
    return summary(type, model).totalAmount();
  }

  private DistributionSummary summary(String type, String model) {
    return registry.get(TokenwatchMetrics.TOKEN_USAGE).tag(TokenwatchMetrics.TOKEN_TYPE_TAG, type)
        .tag(TokenwatchMetrics.MODEL_TAG, model).summary();
  }

  private double gauge(String name, String budget) {
    return registry.get(name).tag(TokenwatchMetrics.BUDGET_TAG, budget).gauge().value();
  }

  @Test
  void tokenUsageIsMeasuredPerTypeAndModelAndARetriedEventCountsOnce() {
    TokenwatchMetrics metrics = TokenwatchMetrics.of(tracker);
    metrics.bindTo(registry);

    metrics.track(event("a", "gpt-4o", 93, 46, 0, 1024));
    metrics.track(event("b", "gpt-4o", 500, 20, 0, 0));
    metrics.track(event("c", "claude-sonnet-4-5", 12, 6, 2048, 0));
    assertThat(metrics.track(event("c", "claude-sonnet-4-5", 12, 6, 2048, 0)).outcome())
        .isEqualTo(TrackOutcome.DUPLICATE);

    assertThat(summary("input", "gpt-4o").count()).isEqualTo(2);
    assertThat(summaryTotal("input", "gpt-4o")).as("cache reads are input tokens to OpenTelemetry").isEqualTo(1617);
    assertThat(summaryTotal("output", "gpt-4o")).isEqualTo(66);
    assertThat(summary("input", "claude-sonnet-4-5").count()).isEqualTo(1);
    assertThat(summaryTotal("input", "claude-sonnet-4-5")).isEqualTo(2060);
    assertThat(summaryTotal("output", "claude-sonnet-4-5")).isEqualTo(6);
    assertThat(registry.get(TokenwatchMetrics.CACHE_TOKENS).tag(TokenwatchMetrics.CACHE_TYPE_TAG, "read")
        .tag(TokenwatchMetrics.MODEL_TAG, "gpt-4o").counter().count()).isEqualTo(1024);
    assertThat(registry.get(TokenwatchMetrics.CACHE_TOKENS).tag(TokenwatchMetrics.CACHE_TYPE_TAG, "creation")
        .tag(TokenwatchMetrics.MODEL_TAG, "claude-sonnet-4-5").counter().count()).isEqualTo(2048);
    assertThat(registry.get(TokenwatchMetrics.EVENTS).tag(TokenwatchMetrics.OUTCOME_TAG, "recorded").counter()
        .count()).isEqualTo(3);
    assertThat(registry.get(TokenwatchMetrics.EVENTS).tag(TokenwatchMetrics.OUTCOME_TAG, "duplicate").counter()
        .count()).isEqualTo(1);
  }

  @Test
  void eachBudgetHasItsGaugesInItsUnit() {
    TokenwatchMetrics metrics = TokenwatchMetrics.of(tracker);
    metrics.bindTo(registry);

    metrics.track(event("a", "gpt-4o", 93, 46, 0, 1024));
    metrics.track(event("c", "claude-sonnet-4-5", 100_000, 10_000, 0, 0));

    Usage tokens = tracker.budget("tokens").getUsage();
    assertThat(gauge(TokenwatchMetrics.BUDGET_USED, "tokens")).isEqualTo(111_163).isEqualTo(tokens.used());
    assertThat(gauge(TokenwatchMetrics.BUDGET_LIMIT, "tokens")).isEqualTo(1_000_000);
    assertThat(gauge(TokenwatchMetrics.BUDGET_RATIO, "tokens")).isEqualTo(tokens.percentage());
    assertThat(registry.get(TokenwatchMetrics.BUDGET_USED).tag(TokenwatchMetrics.BUDGET_TAG, "tokens").gauge()
        .getId().getTag(TokenwatchMetrics.UNIT_TAG)).isEqualTo("tokens");
    // claude-sonnet-4-5 up to 200,000 input tokens: $3 per million input, $15 per million output tokens
    assertThat(gauge(TokenwatchMetrics.BUDGET_USED, "claude-spend")).isCloseTo(0.45, within(1e-9));
    assertThat(gauge(TokenwatchMetrics.BUDGET_LIMIT, "claude-spend")).isEqualTo(250.0);
    assertThat(gauge(TokenwatchMetrics.BUDGET_RATIO, "claude-spend")).isCloseTo(0.0018, within(1e-12));
    assertThat(gauge(TokenwatchMetrics.BUDGET_COST, "claude-spend")).isCloseTo(0.45, within(1e-9));
    assertThat(gauge(TokenwatchMetrics.BUDGET_COST, "tokens"))
        .isCloseTo(tokens.counts().costNanoUsd() / 1e9, within(1e-12)).isGreaterThan(0.45);
    assertThat(registry.get(TokenwatchMetrics.BUDGET_USED).tag(TokenwatchMetrics.BUDGET_TAG, "claude-spend")
        .gauge().getId().getTag(TokenwatchMetrics.UNIT_TAG)).isEqualTo("usd");
  }

  @Test
  void gaugesReadTheLedgerOnceTheirFigureIsOlderThanTheRefreshInterval() {
    TokenwatchMetrics.builder(tracker).refreshInterval(Duration.ZERO).build().bindTo(registry);
    SimpleMeterRegistry cached = new SimpleMeterRegistry();
    TokenwatchMetrics.builder(tracker).refreshInterval(Duration.ofHours(1)).build().bindTo(cached);
    assertThat(cached.get(TokenwatchMetrics.BUDGET_USED).tag(TokenwatchMetrics.BUDGET_TAG, "tokens").gauge().value())
        .isZero();

    // tracked by another tracker over the same store (as another process would), not through the meters
    TokenTracker other = TokenTracker.builder(TokenBudget.builder().name("tokens").limit(1_000_000)
        .period(BudgetPeriod.MONTHLY).build()).store(store).build();
    other.track(event("x", "gpt-4o", 700, 300, 0, 0));

    assertThat(gauge(TokenwatchMetrics.BUDGET_USED, "tokens")).isEqualTo(1000);
    assertThat(cached.get(TokenwatchMetrics.BUDGET_USED).tag(TokenwatchMetrics.BUDGET_TAG, "tokens").gauge().value())
        .as("read an hour ago, not yet again").isZero();
  }

  @Test
  void modelsPastTheCapShareTheOtherTag() {
    TokenwatchMetrics metrics = TokenwatchMetrics.builder(tracker).maxModels(2).build();
    metrics.bindTo(registry);

    metrics.track(event("a", "gpt-4o", 10, 1, 0, 0));
    metrics.track(event("b", "gpt-4o-mini", 20, 2, 0, 0));
    metrics.track(event("c", "o3", 30, 3, 0, 0));
    metrics.track(event("d", "o4-mini", 40, 4, 0, 0));
    metrics.track(event("e", "gpt-4o", 50, 5, 0, 0));

    assertThat(summaryTotal("input", "gpt-4o")).isEqualTo(60);
    assertThat(summaryTotal("input", "gpt-4o-mini")).isEqualTo(20);
    assertThat(summaryTotal("input", TokenwatchMetrics.OTHER_MODEL)).isEqualTo(70);
    assertThat(registry.find(TokenwatchMetrics.TOKEN_USAGE).tag(TokenwatchMetrics.MODEL_TAG, "o3").summary()).isNull();
  }

  @Test
  void aPrometheusScrapeShowsTheOpenTelemetryNames() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TokenwatchMetrics metrics = TokenwatchMetrics.of(tracker);
    metrics.bindTo(prometheus);

    metrics.track(event("a", "gpt-4o", 93, 46, 0, 1024));

    String scrape = prometheus.scrape();
    assertThat(scrape)
        .contains("gen_ai_client_token_usage_sum{gen_ai_request_model=\"gpt-4o\",gen_ai_token_type=\"input\"} 1117.0")
        .contains("gen_ai_client_token_usage_count{gen_ai_request_model=\"gpt-4o\",gen_ai_token_type=\"output\"} 1")
        .contains("tokenwatch_budget_used_tokens{budget=\"tokens\",unit=\"tokens\"} 1163.0")
        .contains("tokenwatch_budget_limit_usd{budget=\"claude-spend\",unit=\"usd\"} 250.0")
        .contains("tokenwatch_budget_ratio{budget=\"claude-spend\"} 0.0")
        .contains("tokenwatch_events_total{outcome=\"recorded\"} 1.0");
  }

  @Test
  void recordTakesResultsOfTheTrackerItself() {
    TokenwatchMetrics metrics = TokenwatchMetrics.of(tracker);
    metrics.bindTo(registry);
    TokenUsageEvent event = event("a", "gpt-4o", 93, 46, 0, 0);

    metrics.record(event, tracker.track(event));

    assertThat(summaryTotal("input", "gpt-4o")).isEqualTo(93);
    assertThat(gauge(TokenwatchMetrics.BUDGET_USED, "tokens")).isEqualTo(139);
  }
}
