package dev.tokenwatch.domain;

import dev.tokenwatch.domain.port.RecordResult;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Writes the audit trail of one budget to the {@code tokenwatch.audit} logger: every tracked event,
 * period change and alert, each as one single-line JSON object (the message itself, so a layout of
 * {@code %m%n} gives JSON lines; a batch is one message of one line per event plus a summary line). Records are only built when the logger is enabled, so a disabled
 * audit log costs one level check per event.
 */
final class AuditLog {

  static final String LOGGER_NAME = "tokenwatch.audit";
  private static final Logger AUDIT = LogManager.getLogger(LOGGER_NAME);

  private final TokenBudget budget;

  AuditLog(TokenBudget budget) {
    this.budget = budget;
  }

  void tracked(TokenUsageEvent event, TrackOutcome outcome, Usage usage, Instant now) {
    if (AUDIT.isInfoEnabled()) {
      AUDIT.info(eventLine(event, outcome.name().toLowerCase(Locale.ROOT), usage, now));
    }
  }

  void trackedBatch(List<TokenUsageEvent> events, RecordResult result, Usage usage, Instant now) {
    if (AUDIT.isInfoEnabled()) {
      // One message of many lines: a synchronous appender then writes the batch with one write call.
      StringBuilder lines = new StringBuilder(events.size() * 340 + 200);
      for (TokenUsageEvent event : events) {
        lines.append(eventLine(event, "batch", usage, now)).append('\n');
      }
      lines.append(new AuditLine(now, "INFO", "batch", budget.name())
          .number("events", events.size())
          .number("recorded", result.recorded())
          .number("replaced", result.replaced())
          .number("duplicates", result.duplicates())
          .number("used", usage.used())
          .number("limit", usage.limit())
          .percent("percentage", usage.percentage())
          .number("remaining", usage.remaining()));
      AUDIT.info(lines.toString());
    }
  }

  void reset(PeriodWindow window, String reason, Instant now) {
    if (AUDIT.isInfoEnabled()) {
      AUDIT.info(new AuditLine(now, "INFO", "period_reset", budget.name())
          .string("periodStart", window.start().toString())
          .string("periodEnd", window.end().toString())
          .string("reason", reason)
          .toString());
    }
  }

  void alert(Alert alert) {
    Level level = switch (alert.level()) {
      case INFO -> Level.INFO;
      case WARNING -> Level.WARN;
      case CRITICAL -> Level.ERROR;
    };
    if (AUDIT.isEnabled(level)) {
      AUDIT.log(level, new AuditLine(alert.timestamp(), level.name(), "alert", budget.name())
          .string("alertLevel", alert.level().name())
          .decimal("threshold", alert.threshold())
          .number("used", alert.used())
          .number("limit", alert.limit())
          .percent("percentage", alert.percentage())
          .number("remaining", Math.max(0, alert.limit() - alert.used()))
          .string("message", alert.message())
          .toString());
    }
  }

  private String eventLine(TokenUsageEvent event, String outcome, Usage usage, Instant now) {
    AuditLine line = new AuditLine(now, "INFO", "track", budget.name())
        .string("outcome", outcome)
        .string("model", event.model())
        .number("tokens", event.totalTokens())
        .number("inputTokens", event.inputTokens())
        .number("outputTokens", event.outputTokens())
        .number("cacheCreationTokens", event.cacheCreationTokens())
        .number("cacheReadTokens", event.cacheReadTokens())
        .instant("timestamp", event.timestamp());
    if (event.requestId() != null) {
      line.string("requestId", event.requestId());
    }
    return line
        .number("used", usage.used())
        .number("limit", usage.limit())
        .percent("percentage", usage.percentage())
        .number("remaining", usage.remaining())
        .toString();
  }
}
