package dev.tokenwatch.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.PeriodWindow;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackOutcome;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.Counts;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.tokenwatch.domain.port.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditJsonTest {

  private static final Instant TIME = Instant.parse("2026-11-28T10:15:30.123Z");
  private static final OffsetDateTime DECEMBER = OffsetDateTime.parse("2026-12-01T00:00:00Z");
  private static final OffsetDateTime JANUARY = OffsetDateTime.parse("2027-01-01T00:00:00Z");

  private static String line(AuditRecord record) {
    return new String(AuditJson.line(record), StandardCharsets.UTF_8);
  }

  private static Counts tokens(long n) {
    return new Counts(n, 0, 0, 0, n, 1);
  }

  private static JsonNode json(AuditRecord record) throws Exception {
    String line = line(record);
    assertThat(line).endsWith("}\n").containsOnlyOnce("\n");
    return new ObjectMapper().readTree(line);
  }

  @Test
  void aTrackedEventIsOneLineWithItsFieldsInOrder() {
    TokenUsageEvent event = TokenUsageEvent.builder("gpt-4o").inputTokens(1200).outputTokens(300).cacheReadTokens(7)
        .timestamp(Instant.parse("2026-11-28T10:15:00Z")).requestId("r\"1").project("p").tag("team", "search").build();
    Map<String, Usage> budgets = new LinkedHashMap<>();
    budgets.put("team-a", Usage.of(tokens(72_449), 100_000, BudgetUnit.TOKENS));
    budgets.put("org", Usage.of(new Counts(0, 0, 0, 0, 0, 1, 187_400_000_000L, 0, 0), 250_000_000_000L, BudgetUnit.USD));
    assertThat(line(new AuditRecord.Tracked(TIME, event.withCost(12_345), TrackOutcome.REPLACED, budgets)))
        .isEqualTo("{\"time\":\"2026-11-28T10:15:30.123Z\",\"level\":\"INFO\",\"event\":\"track\","
            + "\"outcome\":\"replaced\",\"model\":\"gpt-4o\",\"tokens\":1507,\"inputTokens\":1200,\"outputTokens\":300,"
            + "\"cacheCreationTokens\":0,\"cacheReadTokens\":7,\"timestamp\":\"2026-11-28T10:15:00Z\",\"costUsd\":0.000012345,"
            + "\"requestId\":\"r\\\"1\",\"project\":\"p\",\"tags\":{\"team\":\"search\"},\"budgets\":["
            + "{\"budget\":\"team-a\",\"unit\":\"TOKENS\",\"used\":72449,\"limit\":100000,\"percentage\":72.4,\"remaining\":27551},"
            + "{\"budget\":\"org\",\"unit\":\"USD\",\"used\":187.400000000,\"limit\":250.000000000,\"percentage\":75.0,"
            + "\"remaining\":62.600000000}]}\n");
  }

  @Test
  void aBatchIsOneLineWithTheCountsOfItsOutcomesAndItsEvents() throws Exception {
    List<TokenUsageEvent> events = List.of(
        TokenUsageEvent.builder("a").inputTokens(1).timestamp(TIME).requestId("x").build(),
        TokenUsageEvent.builder("日本\u2028").inputTokens(2).timestamp(TIME).build());
    JsonNode batch = json(new AuditRecord.BatchTracked(TIME, events, 1, 0, 1,
        Map.of("b", Usage.of(tokens(3), 10, BudgetUnit.TOKENS))));
    assertThat(batch.get("event").asText()).isEqualTo("batch");
    assertThat(batch.get("recorded").asInt()).isOne();
    assertThat(batch.get("replaced").asInt()).isZero();
    assertThat(batch.get("duplicates").asInt()).isOne();
    assertThat(batch.get("budgets").get(0).get("budget").asText()).isEqualTo("b");
    assertThat(batch.get("budgets").get(0).get("used").asLong()).isEqualTo(3);
    assertThat(batch.get("events")).hasSize(2);
    assertThat(batch.get("events").get(0).get("requestId").asText()).isEqualTo("x");
    assertThat(batch.get("events").get(1).get("model").asText()).isEqualTo("日本\u2028");
    assertThat(batch.get("events").get(1).has("requestId")).isFalse();
  }

  @Test
  void periodBoundsAreIsoWithAnOffsetAndSeconds() throws Exception {
    JsonNode rolled = json(new AuditRecord.PeriodRolled(TIME, "b", DECEMBER, DECEMBER, JANUARY));
    assertThat(rolled.get("event").asText()).isEqualTo("period_rolled");
    assertThat(rolled.get("previousEnd").asText()).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(rolled.get("periodStart").asText()).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(rolled.get("periodEnd").asText()).isEqualTo("2027-01-01T00:00:00Z");

    JsonNode reset = json(new AuditRecord.Reset(TIME, "b", OffsetDateTime.parse("2026-12-01T00:00:00+01:00"), JANUARY));
    assertThat(reset.get("event").asText()).isEqualTo("reset");
    assertThat(reset.get("periodStart").asText()).isEqualTo("2026-12-01T00:00:00+01:00");
  }

  @Test
  void anAlertCarriesItsSeverityAsTheLevel() throws Exception {
    TokenBudget budget = TokenBudget.builder().name("b").limit(1000).period(BudgetPeriod.MONTHLY)
        .zone(ZoneId.of("Europe/Berlin")).build();
    PeriodWindow window = budget.period().windowOf(TIME, budget.zone());
    Alert alert = Alert.of(budget, 0.9, Usage.of(tokens(950), budget), window, TIME);
    JsonNode json = json(new AuditRecord.AlertRaised(TIME, "b", alert));
    assertThat(json.get("level").asText()).isEqualTo("ERROR");
    assertThat(json.get("event").asText()).isEqualTo("alert");
    assertThat(json.get("alertLevel").asText()).isEqualTo("CRITICAL");
    assertThat(json.get("threshold").asDouble()).isEqualTo(0.9);
    assertThat(json.get("percentage").asDouble()).isEqualTo(95.0);
    assertThat(json.get("remaining").asLong()).isEqualTo(50);
    assertThat(json.get("periodEnd").asText()).isEqualTo("2026-12-01T00:00:00+01:00");
    assertThat(json.get("message").asText()).isEqualTo(alert.message());
  }
}
