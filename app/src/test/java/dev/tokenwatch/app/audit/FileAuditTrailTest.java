package dev.tokenwatch.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditTrailTest {

  @TempDir
  Path dir;

  @Test
  void aTrackerWritesALinePerRecordIntoTheStateDirectory() throws Exception {
    Instant now = Instant.parse("2026-11-15T10:00:00Z");
    try (FileAuditTrail trail = FileAuditTrail.in(dir.resolve("state"))) {
      TokenTracker tracker = TokenTracker.builder(TokenBudget.of(100, BudgetPeriod.MONTHLY)).clock(() -> now)
          .auditTrail(trail).build();
      tracker.track(TokenUsageEvent.builder("m").inputTokens(60).timestamp(now).build());
      tracker.trackAll(List.of(TokenUsageEvent.builder("m").inputTokens(1).timestamp(now).build()));

      assertThat(trail.file()).isEqualTo(dir.resolve("state/audit.jsonl"));
      assertThat(Files.readAllLines(trail.file())).satisfiesExactly(
          line -> assertThat(line).contains("\"event\":\"track\"", "\"used\":60"),
          line -> assertThat(line).contains("\"event\":\"alert\"", "\"threshold\":0.5"),
          line -> assertThat(line).contains("\"event\":\"batch\"", "\"recorded\":1", "\"used\":61"));
    }
  }
}
