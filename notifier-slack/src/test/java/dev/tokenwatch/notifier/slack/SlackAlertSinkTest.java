package dev.tokenwatch.notifier.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.outbox.DeliveryFailedException;
import dev.tokenwatch.domain.testing.CapturedLog;
import dev.tokenwatch.notifier.slack.FakeSlack.Reply;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One request per delivery against a real loopback server; every failure thrown with what Slack said. */
class SlackAlertSinkTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZonedDateTime PERIOD_END = ZonedDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneId.of("UTC"));

  private FakeSlack slack;
  private CapturedLog log;
  /** Every message a test saw, checked for the secret after it. */
  private final List<String> messages = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    log = CapturedLog.attach();
    slack = new FakeSlack();
  }

  @AfterEach
  void stop() {
    slack.close();
    log.close();
    // the webhook URL is a secret: no exception message or captured log line may contain it or its parts
    log.entries().forEach(e -> messages.add(e.fullText()));
    assertThat(messages).allSatisfy(text ->
        assertThat(text).doesNotContain(FakeSlack.SECRET).doesNotContain("T0TEAM42").doesNotContain("B0CHAN42"));
  }

  static Alert alert(AlertLevel level, String budgetName) {
    double threshold = level == AlertLevel.INFO ? 0.5 : level == AlertLevel.WARNING ? 0.7 : 1.0;
    return new Alert(level, threshold, 0.7241, "message", Instant.parse("2026-11-20T10:15:30Z"), budgetName,
        724_100, 1_000_000, BudgetPeriod.MONTHLY, PERIOD_END,
        BudgetUnit.TOKENS, UsageFilter.ANY, Counts.ZERO);
  }

  private SlackConfig.Builder config() {
    return SlackConfig.builder().webhookUrl(slack.webhookUrl()).hostName("test-host")
        .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(5));
  }

  private SlackAlertSink sink() {
    return SlackAlertSink.of(config().build());
  }

  /** What {@code sink} threw for {@code alert}; fails the test if it returned. */
  private DeliveryFailedException failure(SlackAlertSink sink, Alert alert) {
    DeliveryFailedException thrown = catchThrowableOfType(() -> sink.deliver(alert), DeliveryFailedException.class);
    assertThat(thrown).as("deliver threw a DeliveryFailedException").isNotNull();
    messages.add(String.valueOf(thrown));
    return thrown;
  }

  private String redactedUrl() {
    return "http://127.0.0.1:" + slack.webhookUrl().split("[:/]")[4] + "/services/T0…/***";
  }

  private String redacted() {
    return "(webhook " + redactedUrl() + ')';
  }

  @Test
  void deliversTheAlertAsBlockKitJsonInOneRequest() throws Exception {
    sink().deliver(alert(AlertLevel.WARNING, "default"));

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
  }

  @Test
  void deliverNowReturnsEmptyWhenSlackAccepted() {
    assertThat(sink().deliverNow(alert(AlertLevel.INFO, "default"))).isEmpty();
    assertThat(slack.received()).hasSize(1);
  }

  @Test
  void a500IsThrownWithTheStatusAndSlacksTextAndNotRetried() {
    slack.then(Reply.of(500, "internal_error"));

    DeliveryFailedException e = failure(sink(), alert(AlertLevel.CRITICAL, "default"));

    assertThat(e.getMessage()).isEqualTo("Slack answered HTTP 500 internal_error " + redacted());
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.getCause()).isNull();
    assertThat(slack.received()).hasSize(1);
  }

  @Test
  void deliverNowThrowsTheSameFailureSoTheOutboxSeesIt() {
    slack.then(Reply.withHeader(429, "rate_limited", "Retry-After", "7"));

    DeliveryFailedException e = catchThrowableOfType(() -> sink().deliverNow(alert(AlertLevel.WARNING, "default")),
        DeliveryFailedException.class);

    assertThat(e).isNotNull();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    messages.add(e.getMessage());
  }

  @Test
  void a429WithRetryAfterInSecondsCarriesTheWait() {
    slack.then(Reply.withHeader(429, "rate_limited", "Retry-After", "30"));

    DeliveryFailedException e = failure(sink(), alert(AlertLevel.WARNING, "default"));

    assertThat(e.getMessage()).isEqualTo("Slack answered HTTP 429 rate_limited, Retry-After 30 s " + redacted());
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(slack.received()).as("the sink does not wait and retry itself").hasSize(1);
  }

  @Test
  void a429WithRetryAfterAsAnHttpDateCarriesTheTimeUntilThen() {
    String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
    slack.then(Reply.withHeader(429, "rate_limited", "Retry-After", inTwoMinutes));

    DeliveryFailedException e = failure(sink(), alert(AlertLevel.WARNING, "default"));

    assertThat(e.retryAfter()).hasValueSatisfying(wait ->
        assertThat(wait).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(120)));
  }

  @ParameterizedTest
  @CsvSource({"'', ', no Retry-After'", "soon, ', unreadable Retry-After \"soon\"'"})
  void a429WithoutAReadableRetryAfterLeavesTheWaitToTheOutbox(String header, String said) {
    slack.then(header.isEmpty() ? Reply.of(429, "rate_limited") : Reply.withHeader(429, "rate_limited", "Retry-After", header));

    DeliveryFailedException e = failure(sink(), alert(AlertLevel.WARNING, "default"));

    assertThat(e.getMessage()).isEqualTo("Slack answered HTTP 429 rate_limited" + said + ' ' + redacted());
    assertThat(e.retryAfter()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"400, invalid_payload", "403, action_prohibited", "404, no_service", "410, channel_is_archived"})
  void everyOtherAnswerIsThrownWithSlacksErrorText(int status, String slackError) {
    slack.then(Reply.of(status, slackError));

    DeliveryFailedException e = failure(sink(), alert(AlertLevel.WARNING, "team-a"));

    assertThat(e.getMessage()).isEqualTo("Slack answered HTTP " + status + ' ' + slackError + ' ' + redacted());
    assertThat(slack.received()).hasSize(1);
  }

  @Test
  void aRedirectIsNotFollowed() {
    slack.then(Reply.withHeader(302, "", "Location", slack.webhookUrl() + "/elsewhere"));

    DeliveryFailedException e = failure(sink(), alert(AlertLevel.WARNING, "default"));

    assertThat(e.getMessage()).startsWith("Slack answered HTTP 302 (empty body) (redirects are not followed)");
    assertThat(slack.received()).hasSize(1);
  }

  @Test
  void aServerThatNeverAnswersIsAFailureAfterTheRequestTimeout() {
    CountDownLatch never = new CountDownLatch(1);
    slack.otherwise(Reply.heldBy(never));
    SlackAlertSink sink = SlackAlertSink.of(config().requestTimeout(Duration.ofMillis(200)).build());

    DeliveryFailedException e = failure(sink, alert(AlertLevel.CRITICAL, "default"));

    assertThat(e.getMessage()).startsWith("HttpTimeoutException").endsWith(redacted());
    assertThat(slack.received()).hasSize(1);
  }

  @Test
  void anUnreachableWebhookIsAFailureWithoutTheUrl() throws Exception {
    String url;
    try (FakeSlack gone = new FakeSlack()) {
      url = gone.webhookUrl();
    }
    SlackAlertSink sink = SlackAlertSink.of(config().webhookUrl(url).build());

    DeliveryFailedException e = failure(sink, alert(AlertLevel.WARNING, "default"));

    assertThat(e.getMessage()).startsWith("ConnectException").contains("/services/T0…/***");
  }

  @Test
  void anAnswerQuotingTheWebhookIsShownWithTheSecretRedacted() {
    slack.then(Reply.of(500, "no hook at /services/T0TEAM42/B0CHAN42/" + FakeSlack.SECRET + " today"));

    DeliveryFailedException e = failure(sink(), alert(AlertLevel.WARNING, "default"));

    assertThat(e.getMessage()).startsWith("Slack answered HTTP 500 no hook at ***");
  }

  @Test
  void textFromOutsideIsEscapedSoItCannotPingOrForgeLinks() throws Exception {
    SlackAlertSink sink = SlackAlertSink.of(config().hostName("<!here>").build());

    sink.deliver(alert(AlertLevel.CRITICAL, "<!channel> & <https://evil.example|click>"));

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
  void nameAndToStringShowTheWebhookRedactedOnly() {
    SlackAlertSink sink = sink();

    assertThat(sink.name()).matches("slack-[0-9a-f]{8}");
    assertThat(sink.remote()).isTrue();
    assertThat(sink.toString()).isEqualTo("SlackAlertSink[webhook=" + redactedUrl() + ']');
    messages.add(sink.name());
    messages.add(sink.toString());
    messages.add(config().build().toString());
  }
}
