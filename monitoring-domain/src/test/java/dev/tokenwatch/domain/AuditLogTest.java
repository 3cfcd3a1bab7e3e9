package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.testing.CapturingAppender;
import dev.tokenwatch.domain.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.message.MapMessage;
import org.junit.jupiter.api.Test;

class AuditLogTest {

  private final MutableClock clock = MutableClock.at("2026-11-30T23:00:00Z");

  @Test
  void logsEveryEventPeriodResetAndAlertWithItsSeverity() {
    TokenTracker tracker = TokenTracker.builder(TokenBudget.of(100, BudgetPeriod.MONTHLY))
        .store(new InMemoryUsageStore()).clock(clock).build();
    try (CapturingAppender audit = CapturingAppender.attachTo("tokenwatch.audit")) {
      tracker.track(TokenUsageEvent.builder("gpt-4o").inputTokens(75).timestamp(clock.now()).requestId("r1").build());
      clock.set(Instant.parse("2026-12-01T00:00:01Z"));
      tracker.track(TokenUsageEvent.builder("gpt-4o").inputTokens(100).timestamp(clock.now()).build());

      List<LogEvent> events = audit.events();
      assertThat(events).extracting(e -> field(e, "event"))
          .containsExactly("track", "alert", "period_reset", "track", "alert");
      LogEvent first = events.get(0);
      assertThat(field(first, "model")).isEqualTo("gpt-4o");
      assertThat(field(first, "tokens")).isEqualTo("75");
      assertThat(field(first, "budget")).isEqualTo("default");
      assertThat(field(first, "percentage")).isEqualTo("75.0%");
      assertThat(field(first, "remaining")).isEqualTo("25");
      assertThat(field(first, "requestId")).isEqualTo("r1");
      assertThat(events.get(1).getLevel()).isEqualTo(Level.WARN);
      assertThat(events.get(4).getLevel()).isEqualTo(Level.ERROR);
      assertThat(field(events.get(2), "periodStart")).isEqualTo("2026-12-01T00:00Z[UTC]");
    }
  }

  private static String field(LogEvent event, String key) {
    return ((MapMessage<?, ?>) event.getMessage()).get(key);
  }
}
