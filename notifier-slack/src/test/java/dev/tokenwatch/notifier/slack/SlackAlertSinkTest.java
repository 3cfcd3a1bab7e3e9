package dev.tokenwatch.notifier.slack;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.testing.CapturedLog;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.notifier.slack.FakeSlack.Reply;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlackAlertSinkTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZonedDateTime PERIOD_END = ZonedDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneId.of("UTC"));

  private FakeSlack slack;
  private CapturedLog log;
  private final List<SlackAlertSink> sinks = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    log = CapturedLog.attach();
    slack = new FakeSlack();
  }

  @AfterEach
  void stop() {
    sinks.forEach(s -> s.close(Duration.ofSeconds(5)));
    slack.close();
    log.close();
    // the webhook URL is a secret: no captured log line of any test may contain it or its parts
    for (CapturedLog.Entry entry : log.entries()) {
      assertThat(entry.fullText())
          .doesNotContain(FakeSlack.SECRET)
          .doesNotContain("T0TEAM42")
          .doesNotContain("B0CHAN42");
    }
  }

  static Alert alert(AlertLevel level, String budgetName) {
    double threshold = level == AlertLevel.INFO ? 0.5 : level == AlertLevel.WARNING ? 0.7 : 1.0;
    return new Alert(level, threshold, 0.7241, "message", Instant.parse("2026-11-20T10:15:30Z"), budgetName,
        724_100, 1_000_000, BudgetPeriod.MONTHLY, PERIOD_END,
        BudgetUnit.TOKENS, UsageFilter.ANY, Counts.ZERO);
  }

  /** Small delays so retries and pacing cost milliseconds, not seconds. */
  private SlackConfig.Builder fast() {
    return SlackConfig.builder().webhookUrl(slack.webhookUrl())
        .hostName("test-host")
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(5))
        .initialBackoff(Duration.ofMillis(10))
        .maxBackoff(Duration.ofMillis(40))
        .minSendInterval(Duration.ofMillis(2));
  }

  private SlackAlertSink sink(SlackConfig config) {
    SlackAlertSink sink = SlackAlertSink.start(config);
    sinks.add(sink);
    return sink;
  }

  @Test
  void deliversTheAlertAsBlockKitJson() throws Exception {
    SlackAlertSink sink = sink(fast().build());

    sink.deliver(alert(AlertLevel.WARNING, "default"));

    assertThat(sink.close(Duration.ofSeconds(10))).isZero();
    assertThat(slack.received()).hasSize(1);
    assertThat(slack.received().get(0).contentType()).startsWith("application/json");
    JsonNode body = JSON.readTree(slack.received().get(0).body());
    assertThat(body.get("text").asText()).isEqualTo(":warning: WARNING: token budget 'default' at 72.4% — "
        + "724,100 of 1,000,000 tokens (monthly, resets 2026-12-01 00:00 UTC)");
    JsonNode blocks = body.get("blocks");
    assertThat(blocks).hasSize(3);
    assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
    assertThat(blocks.get(0).at("/text/type").asText()).isEqualTo("plain_text");
    assertThat(blocks.get(0).at("/text/text").asText()).isEqualTo(":warning: WARNING: budget default at 72.4%");
    assertThat(blocks.get(1).get("type").asText()).isEqualTo("section");
    List<String> fields = new ArrayList<>();
    blocks.get(1).get("fields").forEach(f -> fields.add(f.get("text").asText()));
    assertThat(fields).containsExactly("*Budget*\ndefault", "*Used*\n724,100 of 1,000,000 tokens (72.4%)",
        "*Threshold*\n70.0%", "*Resets*\n2026-12-01 00:00 UTC (monthly)");
    assertThat(blocks.get(2).get("type").asText()).isEqualTo("context");
    assertThat(blocks.get(2).at("/elements/0/text").asText())
        .matches("tokenwatch on \\*test-host\\* · raised 2026-11-20T10:15:30Z · alert [0-9a-f]{16}");
    assertThat(sink.stats()).isEqualTo(new SlackAlertSink.Stats(1, 1, 0, 0, 0));
  }

  @Test
  void retriesA500AndDeliversOnce() {
    slack.then(Reply.of(500, "internal_error"), Reply.of(200, "ok"));
    SlackAlertSink sink = sink(fast().build());

    sink.deliver(alert(AlertLevel.CRITICAL, "default"));

    assertThat(sink.close(Duration.ofSeconds(10))).isZero();
    assertThat(slack.bodies()).hasSize(2);
    assertThat(slack.bodies().get(1)).isEqualTo(slack.bodies().get(0));
    assertThat(sink.stats().delivered()).isEqualTo(1);
    assertThat(sink.stats().failed()).isZero();
    assertThat(log.at(Level.WARN)).anySatisfy(e ->
        assertThat(e.message()).contains("attempt 1 of 4 failed", "HTTP 500 internal_error"));
  }

  @Test
  void waitsForRetryAfterOn429ThenDelivers() {
    slack.then(Reply.withHeader(429, "rate_limited", "Retry-After", "1"), Reply.of(200, "ok"));
    SlackAlertSink sink = sink(fast().build());

    sink.deliver(alert(AlertLevel.WARNING, "default"));

    assertThat(sink.close(Duration.ofSeconds(10))).isZero();
    List<FakeSlack.Received> received = slack.received();
    assertThat(received).hasSize(2);
    Duration gap = Duration.ofNanos(received.get(1).nanoTime() - received.get(0).nanoTime());
    assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(sink.stats().delivered()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({"400, invalid_payload", "403, action_prohibited", "404, no_service", "410, channel_is_archived",
      "422, something_else"})
  void permanentErrorsAreNotRetriedAndAreLoggedWithSlacksAnswer(int status, String slackError) {
    slack.then(Reply.of(status, slackError));
    SlackAlertSink sink = sink(fast().build());

    sink.deliver(alert(AlertLevel.WARNING, "team-a"));

    assertThat(sink.close(Duration.ofSeconds(10))).isZero();
    assertThat(slack.received()).hasSize(1);
    assertThat(sink.stats().failed()).isEqualTo(1);
    assertThat(sink.stats().delivered()).isZero();
    var errors = log.at(Level.ERROR);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).message()).contains("HTTP " + status, slackError, "not retried",
        "WARNING token budget 'team-a' at 72.4% - 724,100 of 1,000,000 tokens",
        "/services/T0…/***");
  }

  @Test
  void aServerThatNeverAnswersTimesOutIsRetriedAndGivenUp() {
    CountDownLatch never = new CountDownLatch(1);
    slack.otherwise(Reply.heldBy(never));
    SlackAlertSink sink = sink(fast().requestTimeout(Duration.ofMillis(200)).maxAttempts(3).build());

    sink.deliver(alert(AlertLevel.CRITICAL, "default"));

    assertThat(sink.close(Duration.ofSeconds(10))).isZero();
    assertThat(slack.received()).hasSize(3);
    assertThat(sink.stats().failed()).isEqualTo(1);
    assertThat(log.at(Level.WARN)).filteredOn(e -> e.message().contains("HttpTimeoutException")).hasSize(2);
    assertThat(log.at(Level.ERROR)).singleElement().satisfies(e -> assertThat(e.message())
        .contains("Giving up on a Slack alert after 3 attempt(s)", "HttpTimeoutException",
            "CRITICAL token budget 'default'"));
  }

  @Test
  void anUnreachableWebhookIsGivenUpWithoutLeakingTheUrl() throws Exception {
    String url;
    try (FakeSlack gone = new FakeSlack()) {
      url = gone.webhookUrl();
    }
    SlackAlertSink sink = sink(fast().webhookUrl(url).maxAttempts(2).build());

    sink.deliver(alert(AlertLevel.WARNING, "default"));

    assertThat(sink.close(Duration.ofSeconds(10))).isZero();
    assertThat(sink.stats().failed()).isEqualTo(1);
    assertThat(log.at(Level.ERROR)).singleElement().satisfies(e ->
        assertThat(e.message()).contains("after 2 attempt(s)", "ConnectException"));
  }

  @Test
  void aThousandAlertsAgainstAStuckServerAreQueuedWithoutWaitingAndInfoIsDroppedFirst() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    slack.then(Reply.heldBy(gate));
    int capacity = 200;
    SlackAlertSink sink = sink(fast().queueCapacity(capacity).requestTimeout(Duration.ofSeconds(60)).build());
    sink.deliver(alert(AlertLevel.INFO, "warm-up"));
    slack.awaitRequests(1, Duration.ofSeconds(10)); // the worker is now stuck in that request

    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      AlertLevel level = i % 10 == 0 ? AlertLevel.CRITICAL : i % 3 == 0 ? AlertLevel.WARNING : AlertLevel.INFO;
      alerts.add(alert(level, "b" + i));
    }
    alerts.forEach(sink::deliver);

    // every deliver returned while the only request sent so far is still unanswered
    assertThat(slack.received()).hasSize(1);
    List<Alert> criticals = alerts.stream().filter(a -> a.level() == AlertLevel.CRITICAL).toList();
    List<Alert> warnings = alerts.stream().filter(a -> a.level() == AlertLevel.WARNING).toList();
    assertThat(criticals).hasSize(100);
    assertThat(warnings).hasSize(300);
    SlackAlertSink.Stats stats = sink.stats();
    assertThat(stats.pending()).isEqualTo(capacity + 1); // queue full, plus the request in flight
    assertThat(stats.dropped()).isEqualTo(800);
    var drops = log.at(Level.WARN).stream().filter(e -> e.message().contains("dropped")).toList();
    assertThat(drops).hasSize(800);
    // all 600 INFO alerts go; then only the oldest WARNINGs; no CRITICAL
    assertThat(drops).filteredOn(e -> e.message().contains("dropped INFO alert")).hasSize(600);
    assertThat(drops).filteredOn(e -> e.message().contains("dropped WARNING alert")).hasSize(200);
    // while any INFO was queued, no WARNING was dropped: the first WARNING drop follows the last
    // drop of an INFO that had been queued (once none is queued, a new INFO is refused at the door)
    int firstWarningDrop = drops.indexOf(drops.stream()
        .filter(e -> e.message().contains("dropped WARNING alert")).findFirst().orElseThrow());
    assertThat(drops.subList(0, firstWarningDrop)).allSatisfy(e -> assertThat(e.message()).contains("INFO"));

    gate.countDown();
    assertThat(sink.close(Duration.ofSeconds(30))).isZero();

    List<String> sentBudgets = new ArrayList<>();
    for (String body : slack.bodies().subList(1, slack.bodies().size())) {
      sentBudgets.add(JSON.readTree(body).at("/blocks/1/fields/0/text").asText().replace("*Budget*\n", ""));
    }
    List<String> expected = new ArrayList<>();
    List<Alert> newestWarnings = warnings.subList(200, 300);
    for (Alert a : alerts) {
      if (a.level() == AlertLevel.CRITICAL || newestWarnings.contains(a)) {
        expected.add(a.budgetName());
      }
    }
    assertThat(sentBudgets).containsExactlyElementsOf(expected); // all CRITICALs, newest WARNINGs, in order
  }

  @Test
  void closeSendsWhatIsQueued() {
    slack.otherwise(Reply.slow(Duration.ofMillis(30)));
    SlackAlertSink sink = sink(fast().build());

    for (int i = 0; i < 5; i++) {
      sink.deliver(alert(AlertLevel.WARNING, "b" + i));
    }

    assertThat(sink.close(Duration.ofSeconds(10))).isZero();
    assertThat(slack.received()).hasSize(5);
  }

  @Test
  void closeGivesUpAtTheDeadlineAndReportsWhatIsLeft() {
    CountDownLatch gate = new CountDownLatch(1);
    slack.otherwise(Reply.heldBy(gate));
    SlackAlertSink sink = sink(fast().requestTimeout(Duration.ofSeconds(60)).build());
    for (int i = 0; i < 4; i++) {
      sink.deliver(alert(AlertLevel.CRITICAL, "b" + i));
    }

    int undelivered = sink.close(Duration.ofMillis(300));

    assertThat(undelivered).isEqualTo(4);
    assertThat(sink.close(Duration.ofMillis(300))).isEqualTo(4);
    assertThat(log.at(Level.WARN)).anySatisfy(e -> assertThat(e.message())
        .contains("closed with 4 alert(s) undelivered", "/services/T0…/***"));
    assertThat(log.at(Level.WARN).stream().filter(e -> e.message().startsWith("Undelivered Slack alert"))).hasSize(4);

    sink.deliver(alert(AlertLevel.CRITICAL, "after-close"));
    assertThat(log.at(Level.WARN)).anySatisfy(e -> assertThat(e.message())
        .contains("closed: alert not sent", "after-close"));
    assertThat(slack.received()).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void textFromOutsideIsEscapedSoItCannotPingOrForgeLinks() throws Exception {
    SlackAlertSink sink = sink(fast().hostName("<!here>").build());

    sink.deliver(alert(AlertLevel.CRITICAL, "<!channel> & <https://evil.example|click>"));

    assertThat(sink.close(Duration.ofSeconds(10))).isZero();
    String raw = slack.bodies().get(0);
    assertThat(raw).doesNotContain("<!channel>", "<https://evil", "<!here>");
    JsonNode body = JSON.readTree(raw);
    String escaped = "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;";
    assertThat(body.get("text").asText()).contains("'" + escaped + "'");
    assertThat(body.at("/blocks/0/text/text").asText()).contains(escaped);
    assertThat(body.at("/blocks/1/fields/0/text").asText()).isEqualTo("*Budget*\n" + escaped);
    assertThat(body.at("/blocks/2/elements/0/text").asText()).contains("*&lt;!here&gt;*");
  }

  @Test
  void toStringShowsTheWebhookRedacted() {
    SlackAlertSink sink = sink(fast().build());

    assertThat(sink.toString()).contains("/services/T0…/***").doesNotContain(FakeSlack.SECRET, "T0TEAM42");
    assertThat(fast().build().toString()).contains("webhookUrl=http://127.0.0.1:")
        .doesNotContain(FakeSlack.SECRET, "T0TEAM42", "B0CHAN42");
  }
}
