package dev.tokenwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.cost.ModelPrice;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.cost.Prices;
import dev.tokenwatch.domain.cost.Rate;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cost in the views: {@code costUsd} of tokenwatch's event JSON both ways (an imported event keeps
 * its cost), report rows with cost and unpriced events, a repriced report, the ingest summary's cost.
 */
class CostViewsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static TokenUsageEvent.Builder event(String model, String time) {
    return TokenUsageEvent.builder(model).inputTokens(1000).outputTokens(100).timestamp(Instant.parse(time));
  }

  @Test
  void costUsdIsAPlainExactDecimalBothWays() {
    TokenUsageEvent nano = event("gpt-4o", "2025-06-01T00:00:00Z").requestId("r").costNanoUsd(1).build();
    assertThat(TokenUsageEventJson.toJson(nano)).endsWith("\"requestId\":\"r\",\"costUsd\":0.000000001}");
    assertThat(TokenUsageEventJson.fromJson(TokenUsageEventJson.toJson(nano))).isEqualTo(nano);
    TokenUsageEvent big = nano.withCost(123_456_789_012_345_678L);
    assertThat(TokenUsageEventJson.toJson(big)).endsWith("\"costUsd\":123456789.012345678}");
    assertThat(TokenUsageEventJson.fromJson(TokenUsageEventJson.toJson(big))).isEqualTo(big);
    assertThat(TokenUsageEventJson.toJson(nano.withCost(0))).endsWith("\"costUsd\":0}");
    assertThat(TokenUsageEventJson.toJson(nano.withCost(2_500_000_000L))).endsWith("\"costUsd\":2.5}");
    assertThat(TokenUsageEventJson.toJson(nano.withCost(TokenUsageEvent.NO_COST))).doesNotContain("costUsd");
    assertThat(TokenUsageEventJson.fromJson(TokenUsageEventJson.toJson(nano.withCost(TokenUsageEvent.NO_COST)))
        .hasCost()).isFalse();

    String line = "{\"model\":\"m\",\"totalTokens\":3,\"timestamp\":\"2025-06-01T00:00:00Z\",\"costUsd\":";
    assertThatThrownBy(() -> TokenUsageEventJson.fromJson(line + "-0.1}")).hasMessage("costUsd must not be negative, got -0.1");
    assertThatThrownBy(() -> TokenUsageEventJson.fromJson(line + "0.0000000001}"))
        .hasMessageContaining("costUsd must have at most 9 decimal places");
    assertThatThrownBy(() -> TokenUsageEventJson.fromJson(line + "\"1.5\"}"))
        .hasMessageContaining("costUsd must be a decimal number of US dollars or null, got \"1.5\"");
    assertThat(CostUsd.nanos(new BigDecimal("0.1"))).isEqualTo(100_000_000L); // exact, not 0.1 as a double
    assertThat(CostUsd.nanos(new BigDecimal("1.500000000000"))).isEqualTo(1_500_000_000L);
  }

  @Test
  void anImportedEventKeepsItsCostAndBadCostsAreMalformedNamingTheField() throws IOException {
    // a cost the table would not give (gpt-4o: 2.5 input, 10 output USD per M = 0.0035): kept as it is
    TokenUsageEvent exported = event("gpt-4o", "2025-06-14T10:00:00Z").requestId("a").costNanoUsd(1_234_567_891L)
        .build();
    Path file = dir.resolve("export.jsonl");
    Files.writeString(file, TokenUsageEventJson.toJson(exported) + "\n"
        + "{\"model\":\"gpt-4o\",\"inputTokens\":1000,\"outputTokens\":100,\"timestamp\":\"2025-06-14T10:01:00Z\","
        + "\"requestId\":\"b\"}\n"
        + "{\"model\":\"gpt-4o\",\"totalTokens\":3,\"timestamp\":\"2025-06-14T10:02:00Z\",\"costUsd\":-1}\n"
        + "{\"model\":\"gpt-4o\",\"totalTokens\":3,\"timestamp\":\"2025-06-14T10:02:00Z\",\"costUsd\":0.0000000005}\n");
    TokenTracker tracker = Fixtures.tracker();
    for (LogFormat format : List.of(LogFormat.TOKENWATCH, LogFormat.AUTO)) {
      tracker = Fixtures.tracker();
      IngestSummary s = Ingestor.builder(tracker).clock(Fixtures.CLOCK).format(format).build()
          .ingest(List.of(file.toString()));
      assertThat(s.firstMalformed()).extracting(MalformedLine::reason).containsExactly(
          "costUsd must be a non-negative decimal number of US dollars with at most 9 places, got -1",
          "costUsd must be a non-negative decimal number of US dollars with at most 9 places, got 0.0000000005");
      assertThat(tracker.getHistory()).extracting(TokenUsageEvent::costNanoUsd)
          .as(format + ": the first keeps its cost, the second is priced when recorded")
          .containsExactly(1_234_567_891L, 3_500_000L);
      assertThat(s.added().costNanoUsd()).isEqualTo(1_234_567_891L + 3_500_000L);
      assertThat(s.unpricedModels()).isEmpty();
    }
    // and out again as it came in
    assertThat(TokenUsageEventJson.toJson(tracker.getHistory().get(0))).isEqualTo(TokenUsageEventJson.toJson(exported));
  }

  @Test
  void theIngestSummaryNamesUnpricedModelsAndTheirEvents() throws IOException {
    Path file = dir.resolve("mixed.jsonl");
    Files.writeString(file, String.join("\n",
        "{\"model\":\"my-llama\",\"inputTokens\":10,\"outputTokens\":5,\"timestamp\":\"2025-06-14T10:00:00Z\",\"requestId\":\"1\"}",
        "{\"model\":\"my-llama\",\"inputTokens\":20,\"outputTokens\":5,\"timestamp\":\"2025-06-14T10:01:00Z\",\"requestId\":\"2\"}",
        "{\"model\":\"gpt-4o\",\"inputTokens\":1000,\"outputTokens\":100,\"timestamp\":\"2025-06-14T10:02:00Z\",\"requestId\":\"3\"}"));
    IngestSummary s = Ingestor.builder(Fixtures.tracker()).clock(Fixtures.CLOCK).build().ingest(List.of(file.toString()));
    assertThat(s.unpricedModels()).containsExactly(java.util.Map.entry("my-llama", 2L));
    assertThat(s.added().costNanoUsd()).isEqualTo(3_500_000L);
    assertThat(s.added().unpricedCalls()).isEqualTo(2);
    assertThat(s.added().unpricedTokens()).isEqualTo(40);
    assertThat(s.tokensAdded()).isEqualTo(40 + 1100);
  }

  private static JsonNode json(UsageReport report) {
    try {
      return JSON.readTree(report.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void reportRowsCarryCostNullWhenNothingIsPricedAndTheUnpricedEvents() {
    TokenTracker tracker = Fixtures.tracker();
    tracker.trackAll(List.of(event("gpt-4o", "2025-06-14T10:00:00Z").build(),
        event("gpt-4o", "2025-06-14T11:00:00Z").costNanoUsd(1).build(),
        event("my-llama", "2025-06-14T12:00:00Z").build()));
    UsageReport report = UsageReport.of(tracker, new UsageReport.Request(BudgetPeriod.DAILY, ZoneOffset.UTC, null,
        null, Dimension.MODEL, UsageFilter.ANY));
    JsonNode day = json(report).get("periods").get(0);
    JsonNode gpt = day.get("models").get(0);
    assertThat(gpt.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(gpt.get("costUsd").decimalValue()).isEqualByComparingTo("0.003500001");
    assertThat(gpt.has("unpricedEvents")).as("only where some are unpriced").isFalse();
    JsonNode llama = day.get("models").get(1);
    assertThat(llama.get("costUsd").isNull()).as("unknown, not $0").isTrue();
    assertThat(llama.get("unpricedEvents").asLong()).isEqualTo(1);
    assertThat(llama.get("unpricedTokens").asLong()).isEqualTo(1100);
    assertThat(day.get("total").get("costUsd").decimalValue()).isEqualByComparingTo("0.003500001");
    assertThat(day.get("total").get("unpricedEvents").asLong()).isEqualTo(1);
    assertThat(json(report).get("repriced").isNull()).isTrue();
    assertThat(json(report).get("unit").asText()).isEqualTo("tokens");
  }

  @Test
  void aRepricedReportPricesEveryEventWithTheGivenTableOnItsOwn() {
    InMemoryUsageStore store = new InMemoryUsageStore();
    TokenBudget budget = TokenBudget.builder().limitUsd(new BigDecimal("10")).period(BudgetPeriod.DAILY)
        .zone(ZoneOffset.UTC).build();
    TokenTracker tracker = TokenTracker.builder(budget).store(store).clock(Fixtures.CLOCK).build();
    // claude-sonnet-4-5 is tiered: 3 USD per M input up to a 200,000-token prompt, 6 above
    tracker.trackAll(List.of(
        TokenUsageEvent.builder("claude-sonnet-4-5").inputTokens(150_000).timestamp(Instant.parse("2025-06-14T10:00:00Z"))
            .requestId("small").build(),
        TokenUsageEvent.builder("claude-sonnet-4-5").inputTokens(150_000).cacheReadTokens(60_000)
            .timestamp(Instant.parse("2025-06-14T11:00:00Z")).requestId("large").build(),
        TokenUsageEvent.builder("my-llama").inputTokens(1_000_000).timestamp(Instant.parse("2025-06-14T12:00:00Z"))
            .requestId("llama").build()));
    UsageReport.Request request = new UsageReport.Request(BudgetPeriod.DAILY, ZoneOffset.UTC, null, null,
        Dimension.MODEL, UsageFilter.ANY);
    UsageReport stored = UsageReport.of(tracker, request);
    // 150,000 x 3 + (150,000 x 6 + 60,000 x 0.6) = 450,000 + 936,000 micro-dollars
    assertThat(stored.total().counts().costNanoUsd()).isEqualTo(1_386_000_000L);
    assertThat(stored.periods().get(0).shareOfLimit()).as("a USD budget's share is of its cost").isEqualTo(0.1386);

    PriceTable today = PriceTable.builtIn().withOverrides(List.of(ModelPrice.of("my-llama",
        new Prices(Rate.of("0.2"), Rate.of("0.6"), null, null, null), "test")));
    UsageReport repriced = UsageReport.repriced(tracker, store, request, today);
    assertThat(repriced.repricedWith()).isSameAs(today);
    assertThat(repriced.periods().get(0).rows()).extracting(r -> r.key(), r -> r.counts().costNanoUsd(),
        r -> r.counts().unpricedCalls()).containsExactly(
            org.assertj.core.groups.Tuple.tuple("my-llama", 200_000_000L, 0L),
            org.assertj.core.groups.Tuple.tuple("claude-sonnet-4-5", 1_386_000_000L, 0L));
    assertThat(repriced.total().counts().totalTokens()).isEqualTo(stored.total().counts().totalTokens());
    assertThat(json(repriced).get("repriced").asText()).isEqualTo(today.description());
    assertThat(json(repriced).get("unit").asText()).isEqualTo("usd");
    assertThat(json(repriced).get("periods").get(0).get("limit").decimalValue()).isEqualByComparingTo("10");
    assertThat(UsageReport.of(tracker, request).total().counts().unpricedCalls())
        .as("the ledger keeps its stored costs").isEqualTo(1);
  }
}
