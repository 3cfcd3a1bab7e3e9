package dev.tokenwatch.notifier.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.PeriodWindow;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.testing.CapturedLog;
import dev.tokenwatch.domain.testing.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a message says about the budget's unit, its scope and its cost, as a real loopback server receives it. */
class SlackMessageTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZonedDateTime PERIOD_END = ZonedDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneId.of("UTC"));
  private static final UsageFilter OPUS = UsageFilter.models("claude-opus-*");

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
    // the webhook URL is a secret: neither a log line nor a message may contain it or its parts
    List<String> texts = new ArrayList<>(slack.bodies());
    log.entries().forEach(e -> texts.add(e.fullText()));
    assertThat(texts).allSatisfy(text -> assertThat(text).doesNotContain(FakeSlack.SECRET, "T0TEAM42", "B0CHAN42"));
  }

  private static Counts counts(long totalTokens, long calls, long costNanoUsd, long unpricedCalls, long unpricedTokens) {
    return new Counts(totalTokens, 0, 0, 0, totalTokens, calls, costNanoUsd, unpricedCalls, unpricedTokens);
  }

  /** The alert the domain raises for {@code budget} at 70% with {@code counts}. */
  private static Alert raised(TokenBudget budget, Counts counts) {
    PeriodWindow window = new PeriodWindow(BudgetPeriod.MONTHLY, PERIOD_END.minusMonths(1), PERIOD_END);
    return Alert.of(budget, 0.7, Usage.of(counts, budget), window, Instant.parse("2026-11-20T10:15:30Z"));
  }

  private static TokenBudget usd(String name, UsageFilter scope) {
    return TokenBudget.builder().name(name).limitUsd(new BigDecimal("250.00")).scope(scope)
        .alertThresholds(List.of(0.7)).build();
  }

  private static TokenBudget tokens(String name, UsageFilter scope) {
    return TokenBudget.builder().name(name).limit(1_000_000).scope(scope).alertThresholds(List.of(0.7)).build();
  }

  private SlackAlertSink sink() {
    return SlackAlertSink.of(SlackConfig.builder().webhookUrl(slack.webhookUrl()).hostName("test-host").build());
  }

  /** Sends {@code alert} to the loopback server and returns the JSON it received. */
  private JsonNode sent(Alert alert) throws Exception {
    sink().deliver(alert);
    assertThat(slack.bodies()).hasSize(1);
    return JSON.readTree(slack.bodies().get(0));
  }

  private static List<String> fields(JsonNode body) {
    List<String> fields = new ArrayList<>();
    body.at("/blocks/1/fields").forEach(f -> fields.add(f.get("text").asText()));
    return fields;
  }

  @Test
  void aTokenBudgetWhoseCallsAreAllPricedShowsTheCostBesideTheTokens() throws Exception {
    JsonNode body = sent(raised(tokens("default", UsageFilter.ANY), counts(724_100, 40, 3_120_000_000L, 0, 0)));

    assertThat(body.get("text").asText()).isEqualTo(":warning: WARNING: token budget 'default' at 72.4% — "
        + "724,100 of 1,000,000 tokens — $3.12 (monthly, resets 2026-12-01 00:00 UTC)");
    assertThat(fields(body)).containsExactly("*Budget*\ndefault", "*Used*\n724,100 of 1,000,000 tokens (72.4%) — $3.12",
        "*Threshold*\n70.0%", "*Resets*\n2026-12-01 00:00 UTC (monthly)");
  }

  @Test
  void aTokenBudgetWithAnUnpricedCallShowsNoCost() throws Exception {
    JsonNode body = sent(raised(tokens("default", UsageFilter.ANY), counts(724_100, 40, 3_120_000_000L, 2, 500)));

    // a partial cost would read as the whole; the tokens of unpriced calls are counted, so no note
    assertThat(body.get("text").asText()).isEqualTo(":warning: WARNING: token budget 'default' at 72.4% — "
        + "724,100 of 1,000,000 tokens (monthly, resets 2026-12-01 00:00 UTC)");
    assertThat(fields(body)).contains("*Used*\n724,100 of 1,000,000 tokens (72.4%)");
  }

  @Test
  void aUsdBudgetShowsDollarsWithItsTokens() throws Exception {
    JsonNode body = sent(raised(usd("spend", UsageFilter.ANY), counts(48_000_000, 900, 187_400_000_000L, 0, 0)));

    assertThat(body.get("text").asText()).isEqualTo(":warning: WARNING: budget 'spend' at 75.0% — "
        + "$187.40 of $250.00 — 48,000,000 tokens (monthly, resets 2026-12-01 00:00 UTC)");
    assertThat(body.at("/blocks/0/text/text").asText()).isEqualTo(":warning: WARNING: budget spend at 75.0%");
    assertThat(fields(body)).containsExactly("*Budget*\nspend", "*Used*\n$187.40 of $250.00 (75.0%) — 48,000,000 tokens",
        "*Threshold*\n70.0%", "*Resets*\n2026-12-01 00:00 UTC (monthly)");
  }

  @Test
  void aUsdBudgetNotesTheUnpricedCallsItCouldNotCount() throws Exception {
    JsonNode body = sent(raised(usd("spend", UsageFilter.ANY), counts(48_000_000, 900, 187_400_000_000L, 3, 1_200)));

    assertThat(body.get("text").asText()).isEqualTo(":warning: WARNING: budget 'spend' at 75.0% — "
        + "$187.40 of $250.00 — 48,000,000 tokens; 3 unpriced calls (1,200 tokens) not counted"
        + " (monthly, resets 2026-12-01 00:00 UTC)");
    assertThat(fields(body)).contains("*Used*\n$187.40 of $250.00 (75.0%) — 48,000,000 tokens\n"
        + "3 unpriced calls (1,200 tokens) not counted");
  }

  @Test
  void theScopeIsShownUnlessTheBudgetCountsAllUsage() throws Exception {
    JsonNode body = sent(raised(usd("opus", OPUS.withTag("team", "search")),
        counts(48_000_000, 900, 187_400_000_000L, 0, 0)));

    assertThat(body.get("text").asText())
        .startsWith(":warning: WARNING: budget 'opus' (model claude-opus-*, tag team=search) at 75.0% — $187.40");
    assertThat(fields(body)).containsExactly("*Budget*\nopus", "*Scope*\nmodel claude-opus-*, tag team=search",
        "*Used*\n$187.40 of $250.00 (75.0%) — 48,000,000 tokens", "*Threshold*\n70.0%",
        "*Resets*\n2026-12-01 00:00 UTC (monthly)");
  }

  @Test
  void aBudgetOfAllUsageHasNoScope() throws Exception {
    JsonNode body = sent(raised(usd("spend", UsageFilter.ANY), counts(1_000, 1, 1_000_000_000L, 0, 0)));

    assertThat(body.get("text").asText())
        .startsWith(":warning: WARNING: budget 'spend' at 0.4% — $1.00 of $250.00 — 1,000 tokens (monthly");
    assertThat(fields(body)).extracting(f -> f.substring(0, f.indexOf('\n')))
        .containsExactly("*Budget*", "*Used*", "*Threshold*", "*Resets*");
    assertThat(slack.bodies().get(0)).doesNotContain("all usage");
  }

  @Test
  void aScopeFromOutsideIsEscapedSoItCannotPingOrForgeLinks() throws Exception {
    JsonNode body = sent(raised(tokens("p", UsageFilter.ANY.withProject("<!channel> & <https://evil.example|x>")),
        counts(724_100, 1, 0, 1, 724_100)));

    String escaped = "project &lt;!channel&gt; &amp; &lt;https://evil.example|x&gt;";
    assertThat(slack.bodies().get(0)).doesNotContain("<!channel>", "<https://evil");
    assertThat(body.get("text").asText()).contains("token budget 'p' (" + escaped + ") at 72.4%");
    assertThat(fields(body)).contains("*Scope*\n" + escaped);
  }

  @Test
  void twoBudgetsAlertingFromOneEventAreBothDelivered() throws Exception {
    // a tracker delivers from its outbox on its worker thread, one request after the other
    SlackAlertSink sink = sink();
    MutableClock clock = MutableClock.at("2026-11-20T10:15:30Z");
    TokenTracker tracker = TokenTracker.builder(List.of(tokens("all-tokens", UsageFilter.ANY), usd("opus", OPUS)))
        .clock(clock).sink(sink).build();

    tracker.track(TokenUsageEvent.builder("claude-opus-4-1").inputTokens(724_100).costNanoUsd(187_400_000_000L)
        .timestamp(clock.now()).build());

    assertThat(tracker.awaitAlerts(Duration.ofSeconds(10)).undelivered()).isZero();
    List<FakeSlack.Received> received = slack.received();
    assertThat(received).hasSize(2);
    List<String> texts = new ArrayList<>();
    for (FakeSlack.Received r : received) {
      texts.add(JSON.readTree(r.body()).get("text").asText());
    }
    assertThat(texts).containsExactlyInAnyOrder(
        ":warning: WARNING: token budget 'all-tokens' at 72.4% — 724,100 of 1,000,000 tokens — $187.40"
            + " (monthly, resets 2026-12-01 00:00 UTC)",
        ":warning: WARNING: budget 'opus' (model claude-opus-*) at 75.0% — $187.40 of $250.00 — 724,100 tokens"
            + " (monthly, resets 2026-12-01 00:00 UTC)");
  }
}
