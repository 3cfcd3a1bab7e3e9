package dev.tokenwatch.domain;

import dev.tokenwatch.domain.port.RecordResult;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.message.StringMapMessage;

/**
 * Writes the audit trail of one budget to the {@code tokenwatch.audit} logger as structured map
 * messages: every tracked event, period change and alert. Messages are only built when the logger
 * is enabled, so a disabled audit log costs one level check per event.
 */
final class AuditLog {

  static final String LOGGER_NAME = "tokenwatch.audit";
  private static final Logger AUDIT = LogManager.getLogger(LOGGER_NAME);

  private final TokenBudget budget;

  AuditLog(TokenBudget budget) {
    this.budget = budget;
  }

  void tracked(TokenUsageEvent event, TrackOutcome outcome, Usage usage) {
    if (AUDIT.isInfoEnabled()) {
      AUDIT.info(eventMessage(event, outcome.name().toLowerCase(java.util.Locale.ROOT), usage));
    }
  }

  void trackedBatch(List<TokenUsageEvent> events, RecordResult result, Usage usage) {
    if (AUDIT.isInfoEnabled()) {
      for (TokenUsageEvent event : events) {
        AUDIT.info(eventMessage(event, "batch", usage));
      }
      AUDIT.info(base("batch")
          .with("events", events.size())
          .with("recorded", result.recorded())
          .with("replaced", result.replaced())
          .with("duplicates", result.duplicates())
          .with("used", usage.used())
          .with("percentage", Alert.formatPercent(usage.percentage()))
          .with("remaining", usage.remaining()));
    }
  }

  void reset(PeriodWindow window, String reason) {
    if (AUDIT.isInfoEnabled()) {
      AUDIT.info(base("period_reset")
          .with("periodStart", window.start().toString())
          .with("periodEnd", window.end().toString())
          .with("reason", reason));
    }
  }

  void alert(Alert alert) {
    Level level = switch (alert.level()) {
      case INFO -> Level.INFO;
      case WARNING -> Level.WARN;
      case CRITICAL -> Level.ERROR;
    };
    if (AUDIT.isEnabled(level)) {
      AUDIT.log(level, base("alert")
          .with("level", alert.level().name())
          .with("threshold", alert.threshold())
          .with("percentage", Alert.formatPercent(alert.percentage()))
          .with("used", alert.used())
          .with("remaining", Math.max(0, alert.limit() - alert.used()))
          .with("message", alert.message()));
    }
  }

  private StringMapMessage eventMessage(TokenUsageEvent event, String outcome, Usage usage) {
    StringMapMessage message = base("track")
        .with("outcome", outcome)
        .with("model", event.model())
        .with("tokens", event.totalTokens())
        .with("inputTokens", event.inputTokens())
        .with("outputTokens", event.outputTokens())
        .with("cacheCreationTokens", event.cacheCreationTokens())
        .with("cacheReadTokens", event.cacheReadTokens())
        .with("timestamp", event.timestamp().toString())
        .with("used", usage.used())
        .with("percentage", Alert.formatPercent(usage.percentage()))
        .with("remaining", usage.remaining());
    if (event.requestId() != null) {
      message.with("requestId", event.requestId());
    }
    return message;
  }

  private StringMapMessage base(String kind) {
    return new StringMapMessage().with("event", kind).with("budget", budget.name());
  }
}
