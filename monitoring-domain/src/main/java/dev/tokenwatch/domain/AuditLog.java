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

  private static final AuditLine.Key OUTCOME = AuditLine.key("outcome");
  private static final AuditLine.Key MODEL = AuditLine.key("model");
  private static final AuditLine.Key TOKENS = AuditLine.key("tokens");
  private static final AuditLine.Key INPUT_TOKENS = AuditLine.key("inputTokens");
  private static final AuditLine.Key OUTPUT_TOKENS = AuditLine.key("outputTokens");
  private static final AuditLine.Key CACHE_CREATION_TOKENS = AuditLine.key("cacheCreationTokens");
  private static final AuditLine.Key CACHE_READ_TOKENS = AuditLine.key("cacheReadTokens");
  private static final AuditLine.Key TIMESTAMP = AuditLine.key("timestamp");
  private static final AuditLine.Key REQUEST_ID = AuditLine.key("requestId");
  private static final AuditLine.Key USED = AuditLine.key("used");
  private static final AuditLine.Key LIMIT = AuditLine.key("limit");
  private static final AuditLine.Key PERCENTAGE = AuditLine.key("percentage");
  private static final AuditLine.Key REMAINING = AuditLine.key("remaining");
  private static final AuditLine.Key EVENTS = AuditLine.key("events");
  private static final AuditLine.Key RECORDED = AuditLine.key("recorded");
  private static final AuditLine.Key REPLACED = AuditLine.key("replaced");
  private static final AuditLine.Key DUPLICATES = AuditLine.key("duplicates");
  private static final AuditLine.Key PERIOD_START = AuditLine.key("periodStart");
  private static final AuditLine.Key PERIOD_END = AuditLine.key("periodEnd");
  private static final AuditLine.Key REASON = AuditLine.key("reason");
  private static final AuditLine.Key ALERT_LEVEL = AuditLine.key("alertLevel");
  private static final AuditLine.Key THRESHOLD = AuditLine.key("threshold");
  private static final AuditLine.Key MESSAGE = AuditLine.key("message");

  private static final AuditLine.Value INFO = AuditLine.Value.of("INFO");
  private static final AuditLine.Value TRACK = AuditLine.Value.of("track");
  private static final AuditLine.Value BATCH = AuditLine.Value.of("batch");
  private static final AuditLine.Value PERIOD_RESET = AuditLine.Value.of("period_reset");
  private static final AuditLine.Value ALERT = AuditLine.Value.of("alert");
  /** The outcomes as the audit log writes them, lower case, by ordinal. */
  private static final AuditLine.Value[] OUTCOMES = java.util.Arrays.stream(TrackOutcome.values())
      .map(outcome -> AuditLine.Value.of(outcome.name().toLowerCase(Locale.ROOT))).toArray(AuditLine.Value[]::new);

  private final TokenBudget budget;
  private final AuditLine.Value budgetName;
  /** The model and the limit of the last record: most records repeat both, so each is encoded once. */
  private volatile AuditLine.Value lastModel = AuditLine.Value.of("");
  private volatile AuditLine.Value lastLimit = AuditLine.Value.of(0);

  AuditLog(TokenBudget budget) {
    this.budget = budget;
    this.budgetName = AuditLine.Value.of(budget.name());
  }

  void tracked(TokenUsageEvent event, TrackOutcome outcome, Usage usage, Instant now) {
    if (AUDIT.isInfoEnabled()) {
      AUDIT.info(eventLine(event, OUTCOMES[outcome.ordinal()], usage, now));
    }
  }

  void trackedBatch(List<TokenUsageEvent> events, RecordResult result, Usage usage, Instant now) {
    if (AUDIT.isInfoEnabled()) {
      // One message of many lines: the appender then writes the batch in one piece.
      StringBuilder lines = new StringBuilder(events.size() * 340 + 200);
      for (TokenUsageEvent event : events) {
        lines.append(eventLine(event, BATCH, usage, now)).append('\n');
      }
      lines.append(AuditLine.start(now, INFO, BATCH, budgetName)
          .number(EVENTS, events.size())
          .number(RECORDED, result.recorded())
          .number(REPLACED, result.replaced())
          .number(DUPLICATES, result.duplicates())
          .number(USED, usage.used())
          .value(LIMIT, limit(usage.limit()))
          .percent(PERCENTAGE, usage.percentage())
          .number(REMAINING, usage.remaining())
          .finish());
      AUDIT.info(lines.toString());
    }
  }

  void reset(PeriodWindow window, String reason, Instant now) {
    if (AUDIT.isInfoEnabled()) {
      AUDIT.info(AuditLine.start(now, INFO, PERIOD_RESET, budgetName)
          .string(PERIOD_START, window.start().toString())
          .string(PERIOD_END, window.end().toString())
          .string(REASON, reason)
          .finish());
    }
  }

  void alert(Alert alert) {
    Level level = switch (alert.level()) {
      case INFO -> Level.INFO;
      case WARNING -> Level.WARN;
      case CRITICAL -> Level.ERROR;
    };
    if (AUDIT.isEnabled(level)) {
      AUDIT.log(level, AuditLine.start(alert.timestamp(), AuditLine.Value.of(level.name()), ALERT, budgetName)
          .string(ALERT_LEVEL, alert.level().name())
          .decimal(THRESHOLD, alert.threshold())
          .number(USED, alert.used())
          .number(LIMIT, alert.limit())
          .percent(PERCENTAGE, alert.percentage())
          .number(REMAINING, Math.max(0, alert.limit() - alert.used()))
          .string(MESSAGE, alert.message())
          .finish());
    }
  }

  private String eventLine(TokenUsageEvent event, AuditLine.Value outcome, Usage usage, Instant now) {
    AuditLine line = AuditLine.start(now, INFO, TRACK, budgetName)
        .value(OUTCOME, outcome)
        .value(MODEL, model(event.model()))
        .number(TOKENS, event.totalTokens())
        .number(INPUT_TOKENS, event.inputTokens())
        .number(OUTPUT_TOKENS, event.outputTokens())
        .number(CACHE_CREATION_TOKENS, event.cacheCreationTokens())
        .number(CACHE_READ_TOKENS, event.cacheReadTokens())
        .instant(TIMESTAMP, event.timestamp());
    if (event.requestId() != null) {
      line.string(REQUEST_ID, event.requestId());
    }
    return line
        .number(USED, usage.used())
        .value(LIMIT, limit(usage.limit()))
        .percent(PERCENTAGE, usage.percentage())
        .number(REMAINING, usage.remaining())
        .finish();
  }

  private AuditLine.Value model(String model) {
    AuditLine.Value last = lastModel;
    if (!last.is(model)) {
      last = AuditLine.Value.of(model);
      lastModel = last;
    }
    return last;
  }

  private AuditLine.Value limit(long limit) {
    AuditLine.Value last = lastLimit;
    if (!last.is(limit)) {
      last = AuditLine.Value.of(limit);
      lastLimit = last;
    }
    return last;
  }
}
