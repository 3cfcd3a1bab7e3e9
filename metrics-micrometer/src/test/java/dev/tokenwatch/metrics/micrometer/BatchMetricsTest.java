package dev.tokenwatch.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.BatchResult;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batches tracked with {@code trackAll}, as the ingestor does, through {@link TokenwatchMetrics#recordAll}. */
class BatchMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TokenTracker tracker;
  private TokenwatchMetrics metrics;

  @BeforeEach
  void setUp() {
    tracker = TokenTracker.create(TokenBudget.builder().name("tokens").limit(1_000_000).period(BudgetPeriod.MONTHLY)
        .build(), alert -> {});
    metrics = TokenwatchMetrics.of(tracker);
    metrics.bindTo(registry);
  }

  private static TokenUsageEvent event(String id, long input, long output) {
    return TokenUsageEvent.builder("claude-sonnet-4-5").inputTokens(input).outputTokens(output)
        .timestamp(Instant.now()).requestId(id).build();
  }

  private void trackAll(TokenUsageEvent... events) {
    List<TokenUsageEvent> batch = List.of(events);
    BatchResult result = tracker.trackAll(batch);
    metrics.recordAll(batch, result);
  }

  private double input(String stat) {
    var summary = registry.get(TokenwatchMetrics.TOKEN_USAGE).tag(TokenwatchMetrics.TOKEN_TYPE_TAG, "input")
        .tag(TokenwatchMetrics.MODEL_TAG, "claude-sonnet-4-5").summary();
    return stat.equals("count") ? summary.count() : summary.totalAmount();
  }

  private double events(String outcome) {
    return registry.get(TokenwatchMetrics.EVENTS).tag(TokenwatchMetrics.OUTCOME_TAG, outcome).counter().count();
  }

  @Test
  void aRequestLoggedOnSeveralLinesCountsOnceWithItsFirstLine() {
    // Claude Code writes a line per content block, each with the message's usage
    trackAll(event("m1", 10, 5), event("m1", 10, 5), event("m2", 20, 7));
    trackAll(event("m2", 20, 9), event("m3", 30, 1), event(null, 4, 4));

    assertThat(input("count")).isEqualTo(4);
    assertThat(input("total")).isEqualTo(10 + 20 + 30 + 4);
    assertThat(events("recorded")).isEqualTo(4);
    assertThat(events("duplicate")).isEqualTo(1);
    assertThat(events("replaced")).as("m2's later line has more output").isEqualTo(1);
    assertThat(registry.get(TokenwatchMetrics.BUDGET_USED).gauge().value())
        .as("the gauges have the replacement's growth").isEqualTo(10 + 5 + 20 + 9 + 30 + 1 + 4 + 4);
  }

  @Test
  void aBatchWithAnIdTrackedBeforeTheBinderAddsToTheEventCountsOnly() {
    tracker.track(event("old", 10, 5)); // before the binder: the ledger has it, the binder does not know
    trackAll(event("old", 10, 5), event("new", 20, 7));

    assertThat(events("recorded")).isEqualTo(1);
    assertThat(events("duplicate")).isEqualTo(1);
    assertThat(registry.find(TokenwatchMetrics.TOKEN_USAGE).summaries()).as("which one was new is not known")
        .isEmpty();

    trackAll(event("next", 40, 1));
    assertThat(input("total")).isEqualTo(40);
  }

  @Test
  void anIdTrackedOneByOneThroughTheBinderIsKnownToBatches() {
    metrics.track(event("a", 10, 5));
    trackAll(event("a", 10, 5), event("b", 20, 7));

    assertThat(input("count")).isEqualTo(2);
    assertThat(input("total")).isEqualTo(30);
  }
}
