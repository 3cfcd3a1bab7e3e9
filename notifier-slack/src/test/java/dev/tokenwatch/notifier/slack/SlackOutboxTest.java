package dev.tokenwatch.notifier.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.outbox.DeliveryPolicy;
import dev.tokenwatch.domain.testing.CapturedLog;
import dev.tokenwatch.notifier.slack.FakeSlack.Reply;
import java.time.Duration;
import java.time.Instant;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sink under a tracker: the outbox retries what Slack refused, one request per attempt. */
class SlackOutboxTest {

  /** Retries after 50 ms, so a test that is not told to wait by Slack waits milliseconds. */
  private static final DeliveryPolicy FAST =
      new DeliveryPolicy(Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMinutes(1));

  private FakeSlack slack;
  private CapturedLog log;

  @BeforeEach
  void start() throws Exception {
    log = CapturedLog.attach();
    slack = new FakeSlack();
  }

  @AfterEach
  void stop() {
    slack.close();
    log.close();
    assertThat(log.entries()).allSatisfy(e -> assertThat(e.fullText()).doesNotContain(FakeSlack.SECRET, "T0TEAM42"));
  }

  private TokenTracker tracker() {
    SlackAlertSink sink = SlackAlertSink.of(SlackConfig.builder().webhookUrl(slack.webhookUrl()).hostName("h").build());
    return TokenTracker.builder(TokenBudget.of(1_000, BudgetPeriod.MONTHLY)).clock(Instant::now).sink(sink)
        .alertDelivery(FAST).build();
  }

  private static void track(TokenTracker tracker) {
    tracker.track(TokenUsageEvent.builder("m").inputTokens(800).timestamp(Instant.now()).build());
  }

  @Test
  void a500IsRetriedByTheOutboxAndDeliveredOnce() throws Exception {
    slack.then(Reply.of(500, "internal_error"), Reply.of(200, "ok"));
    TokenTracker tracker = tracker();

    track(tracker);

    assertThat(tracker.awaitAlerts(Duration.ofSeconds(10)).undelivered()).isZero();
    assertThat(slack.bodies()).hasSize(2);
    assertThat(slack.bodies().get(1)).isEqualTo(slack.bodies().get(0));
    assertThat(log.at(Level.WARN)).singleElement().satisfies(e -> assertThat(e.message())
        .contains("(attempt 1): Slack answered HTTP 500 internal_error (webhook http://127.0.0.1:"));
    assertThat(tracker.undeliveredAlerts()).isEmpty();
  }

  @Test
  void a429sRetryAfterHoldsTheOutboxsRetryBack() throws Exception {
    slack.then(Reply.withHeader(429, "rate_limited", "Retry-After", "1"), Reply.of(200, "ok"));
    TokenTracker tracker = tracker();

    track(tracker);

    assertThat(tracker.awaitAlerts(Duration.ofSeconds(10)).undelivered()).isZero();
    var received = slack.received();
    assertThat(received).hasSize(2);
    // the policy alone would retry after 50 ms; Slack asked for a second
    assertThat(Duration.ofNanos(received.get(1).nanoTime() - received.get(0).nanoTime()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }
}
