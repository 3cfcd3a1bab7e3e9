package dev.tokenwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmallPartsTest {

  @ParameterizedTest
  @ValueSource(strings = {"2025-06-14T09:30:00Z", "2025-06-14T09:30:00.1Z", "2025-06-14T09:30:00.123456789Z",
      "2024-02-29T23:59:59.999Z", "1999-12-31T00:00:00Z"})
  void fastTimestampsAgreeWithInstantParse(String text) {
    assertThat(Timestamps.parseUtc(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2025-06-14T09:30:00+02:00", "2025-02-30T09:30:00Z", "2025-06-14 09:30:00Z",
      "2025-06-14T24:00:00Z", "2025-06-14T09:30:00.Z", "2025-06-14T09:30:00.1234567890Z"})
  void otherShapesFallBack(String text) {
    assertThat(Timestamps.parseUtc(text)).isNull();
  }

  @Test
  void eventJsonHasAStableFieldOrderAndRoundTrips() {
    TokenUsageEvent e = new TokenUsageEvent("gpt-4o", 1200, 300, 5, 7, 1512, Instant.parse("2025-06-01T12:00:00Z"), "req_1");
    String json = TokenUsageEventJson.toJson(e);
    assertThat(json).isEqualTo("{\"model\":\"gpt-4o\",\"inputTokens\":1200,\"outputTokens\":300,"
        + "\"cacheCreationTokens\":5,\"cacheReadTokens\":7,\"totalTokens\":1512,"
        + "\"timestamp\":\"2025-06-01T12:00:00Z\",\"requestId\":\"req_1\"}");
    assertThat(TokenUsageEventJson.fromJson(json)).isEqualTo(e);
    StringWriter lines = new StringWriter();
    TokenUsageEventJson.writeLines(List.of(e, e), lines);
    assertThat(lines.toString().lines()).containsExactly(json, json);
    assertThat(TokenUsageEventJson.toJsonArray(List.of(e))).startsWith("[ {").contains("\"requestId\" : \"req_1\"");
  }

  @Test
  void eventJsonNamesTheBadField() {
    assertThatThrownBy(() -> TokenUsageEventJson.fromJson("{\"model\":\"m\",\"inputTokens\":\"x\",\"timestamp\":\"2025-06-01T00:00:00Z\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("inputTokens must be a whole number, got \"x\"");
    assertThatThrownBy(() -> TokenUsageEventJson.fromJson("{\"model\":\"m\",\"inputTokens\":-1,\"timestamp\":\"2025-06-01T00:00:00Z\"}"))
        .hasMessageContaining("inputTokens must not be negative");
    assertThatThrownBy(() -> TokenUsageEventJson.fromJson("{\"model\":\"m\"}")).hasMessageContaining("timestamp");
  }

  @Test
  void progressBarRendersShareBytesAndRateAndThrottles() {
    assertThat(TextProgressBar.render(50_000_000, 200_000_000, 1_000_000_000))
        .isEqualTo("[########                      ]  25%  50.0 / 200.0 MB  50.0 MB/s  ETA 0:03");
    assertThat(TextProgressBar.render(3_000_000, -1, 1_000_000_000)).isEqualTo("3.0 MB  3.0 MB/s");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TextProgressBar bar = new TextProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    bar.progress(1, 10);
    bar.progress(2, 10); // within 100 ms: not drawn
    assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("\r[").doesNotContain("\r[######");
  }

  @Test
  void logFormatsParseFromTheirCommandLineNames() {
    assertThat(LogFormat.parse("claude-code")).isEqualTo(LogFormat.CLAUDE_CODE);
    assertThat(LogFormat.parse(" OpenAI ")).isEqualTo(LogFormat.OPENAI);
    assertThatThrownBy(() -> LogFormat.parse("csv")).hasMessageContaining("got \"csv\"");
  }

  private static TokenTracker tracker(BudgetPeriod period) {
    TokenBudget budget = TokenBudget.builder().limit(1000).period(period).zone(ZoneId.of("Europe/Berlin")).build();
    return TokenTracker.builder(budget).store(new InMemoryUsageStore()).clock(() -> Instant.parse("2025-06-15T12:00:00Z"))
        .build();
  }

  private static TokenUsageEvent event(String model, long input, long output, String time) {
    return TokenUsageEvent.builder(model).inputTokens(input).outputTokens(output).cacheReadTokens(1)
        .timestamp(Instant.parse(time)).build();
  }

  private static UsageReport report(TokenTracker tracker, BudgetPeriod granularity, LocalDate since, LocalDate until,
      UsageFilter filter) {
    return UsageReport.of(tracker, new UsageReport.Request(granularity, tracker.getBudget().zone(), since, until,
        Dimension.MODEL, filter));
  }

  @Test
  void dailyBudgetGivesMonthlyReportsWithAShareOfTheCombinedLimit() {
    TokenTracker tracker = tracker(BudgetPeriod.DAILY);
    tracker.trackAll(List.of(event("a", 100, 50, "2025-05-31T21:59:00Z"), // still 31 May in Berlin
        event("a", 10, 5, "2025-05-31T22:01:00Z"), event("b", 200, 0, "2025-06-02T08:00:00Z"),
        event("a", 1, 1, "2025-06-14T08:00:00Z")));
    UsageReport monthly = report(tracker, BudgetPeriod.MONTHLY, null, null, UsageFilter.ANY);
    assertThat(monthly.periods()).extracting(UsageReport.Period::start)
        .containsExactly(LocalDate.of(2025, 5, 1), LocalDate.of(2025, 6, 1));
    UsageReport.Period june = monthly.periods().get(1);
    assertThat(june.end()).isEqualTo(LocalDate.of(2025, 7, 1));
    assertThat(june.rows()).extracting(UsageReport.Row::key).containsExactly("b", "a");
    assertThat(june.total()).isEqualTo(new UsageReport.Row(UsageReport.TOTAL, new Counts(211, 6, 0, 3, 220, 3)));
    assertThat(june.limit()).isEqualTo(30_000);
    assertThat(june.shareOfLimit()).isEqualTo(220 / 30_000.0);
    assertThat(monthly.total().counts().totalTokens()).isEqualTo(151 + 220);
    com.fasterxml.jackson.databind.JsonNode json;
    try {
      json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(monthly.toJson());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(json.get("granularity").asText()).isEqualTo("monthly");
    assertThat(json.get("periods").get(1).get("start").asText()).isEqualTo("2025-06-01");
    assertThat(json.get("periods").get(1).get("models").get(0).get("model").asText()).isEqualTo("b");
    assertThat(json.get("periods").get(1).get("total").get("totalTokens").asLong()).isEqualTo(220);
    assertThat(json.get("total").get("totalTokens").asLong()).isEqualTo(371);
    assertThat(json.get("by").asText()).isEqualTo("model");
    assertThat(json.get("zone").asText()).isEqualTo("Europe/Berlin");

    UsageReport daily = report(tracker, BudgetPeriod.DAILY, LocalDate.of(2025, 6, 1), LocalDate.of(2025, 6, 2),
        UsageFilter.models("a"));
    assertThat(daily.periods()).singleElement().satisfies(p -> {
      assertThat(p.start()).isEqualTo(LocalDate.of(2025, 6, 1));
      assertThat(p.total().counts().totalTokens()).isEqualTo(16);
      assertThat(p.shareOfLimit()).isEqualTo(0.016);
    });
  }

  @Test
  void aMonthlyBudgetGivesExactDailyReportsWithoutALimitPerDay() {
    TokenTracker monthly = tracker(BudgetPeriod.MONTHLY);
    monthly.trackAll(List.of(event("a", 1, 1, "2025-06-01T08:00:00Z"), event("a", 5, 0, "2025-06-03T08:00:00Z"),
        event("b", 7, 0, "2025-06-03T23:30:00Z"))); // 4 June in Berlin
    UsageReport daily = report(monthly, BudgetPeriod.DAILY, LocalDate.of(2025, 6, 3), null, UsageFilter.ANY);
    assertThat(daily.periods()).extracting(UsageReport.Period::start)
        .containsExactly(LocalDate.of(2025, 6, 3), LocalDate.of(2025, 6, 4));
    assertThat(daily.periods()).extracting(p -> p.total().counts().totalTokens()).containsExactly(6L, 8L);
    assertThat(daily.periods()).allSatisfy(p -> assertThat(p.limit()).isNull());
    assertThat(report(monthly, BudgetPeriod.MONTHLY, null, null, UsageFilter.ANY).periods()).singleElement()
        .satisfies(p -> assertThat(p.limit()).isEqualTo(1000));
    UsageReport utc = UsageReport.of(monthly, new UsageReport.Request(BudgetPeriod.DAILY, ZoneId.of("UTC"), null, null,
        Dimension.MODEL, UsageFilter.ANY));
    assertThat(utc.periods()).extracting(UsageReport.Period::start)
        .containsExactly(LocalDate.of(2025, 6, 1), LocalDate.of(2025, 6, 3));
  }
}
