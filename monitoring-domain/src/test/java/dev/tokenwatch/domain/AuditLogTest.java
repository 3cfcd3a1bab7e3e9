package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.testing.CapturedLog;
import dev.tokenwatch.domain.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

class AuditLogTest {

  private final MutableClock clock = MutableClock.at("2026-11-30T23:00:00Z");

  @Test
  void logsEveryEventPeriodResetAndAlertWithItsSeverity() {
    TokenTracker tracker = TokenTracker.builder(TokenBudget.of(100, BudgetPeriod.MONTHLY))
        .store(new InMemoryUsageStore()).clock(clock).build();
    try (CapturedLog audit = CapturedLog.attachTo("tokenwatch.audit")) {
      tracker.track(TokenUsageEvent.builder("gpt-4o").inputTokens(75).timestamp(clock.now()).requestId("r1").build());
      clock.set(Instant.parse("2026-12-01T00:00:01Z"));
      tracker.track(TokenUsageEvent.builder("gpt-4o").inputTokens(100).timestamp(clock.now()).build());

      List<CapturedLog.Entry> events = audit.entries();
      assertThat(events).extracting(e -> field(e, "event"))
          .containsExactly("track", "alert", "period_reset", "track", "alert");
      CapturedLog.Entry first = events.get(0);
      assertThat(field(first, "model")).isEqualTo("gpt-4o");
      assertThat(field(first, "tokens")).isEqualTo("75");
      assertThat(field(first, "budget")).isEqualTo("default");
      assertThat(field(first, "percentage")).isEqualTo("75.0");
      assertThat(first.message()).startsWith("{\"time\":\"2026-11-30T23:00:00.000Z\",\"level\":\"INFO\",\"event\":\"track\"")
          .endsWith("}").doesNotContain("\n");
      assertThat(field(first, "remaining")).isEqualTo("25");
      assertThat(field(first, "requestId")).isEqualTo("r1");
      assertThat(events.get(1).level()).isEqualTo(Level.WARN);
      assertThat(events.get(4).level()).isEqualTo(Level.ERROR);
      assertThat(field(events.get(2), "periodStart")).isEqualTo("2026-12-01T00:00Z[UTC]");
    }
  }

  @Test
  void logsABatchAsOneMessageWithALinePerEventAndASummary() {
    TokenTracker tracker = TokenTracker.builder(TokenBudget.of(1_000, BudgetPeriod.MONTHLY))
        .store(new InMemoryUsageStore()).clock(clock).build();
    try (CapturedLog audit = CapturedLog.attachTo("tokenwatch.audit")) {
      tracker.trackAll(List.of(
          TokenUsageEvent.builder("a").inputTokens(1).timestamp(clock.now()).requestId("x").build(),
          TokenUsageEvent.builder("b").inputTokens(2).timestamp(clock.now()).requestId("x").build()));
      List<String> lines = List.of(audit.entries().get(0).message().split("\n"));
      assertThat(lines).hasSize(3);
      assertThat(lines.get(0)).contains("\"event\":\"track\"", "\"model\":\"a\"");
      assertThat(lines.get(1)).contains("\"model\":\"b\"");
      assertThat(lines.get(2)).contains("\"event\":\"batch\"", "\"events\":2", "\"replaced\":1", "\"used\":2");
      assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
    }
  }

  /** The value of {@code key} in the entry's one-line JSON object (strings unquoted). */
  private static String field(CapturedLog.Entry entry, String key) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}]*)")
        .matcher(entry.message());
    if (!m.find()) {
      return null;
    }
    String value = m.group(1);
    return value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
  }
}
