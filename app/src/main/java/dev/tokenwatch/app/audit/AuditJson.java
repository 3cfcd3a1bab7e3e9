package dev.tokenwatch.app.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.port.AuditRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An audit record as one line of JSON in UTF-8, line break included: {@code time}, {@code level},
 * {@code event} ({@code track}, {@code batch}, {@code period_rolled}, {@code alert}, {@code reset}),
 * {@code budget} for the records of one budget (tracking records carry {@code budgets}: each budget's
 * usage after it), then the record's fields. A tracking record of an operation that {@link PendingOps}
 * watched carries its id as {@code op}; {@code recovered} lines ({@link #recovered}) close such an
 * operation after a crash. USD amounts are dollars with nine decimal places. Times are ISO-8601 with an
 * offset: instants in UTC ({@code 2026-12-01T00:00:00Z}), period bounds with the budget zone's offset.
 */
final class AuditJson {

  private static final JsonFactory JSON = new JsonFactory();

  private AuditJson() {}

  static byte[] line(AuditRecord record) {
    return line(record, null);
  }

  /** The line of {@code record}; a tracking record names {@code op}, its operation ({@code null} for none). */
  static byte[] line(AuditRecord record, String op) {
    ByteArrayBuilder out = new ByteArrayBuilder(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("time", instant(record.time()));
      if (record instanceof AuditRecord.Tracked tracked) {
        start(g, "INFO", "track", null);
        optional(g, "op", op);
        g.writeStringField("outcome", tracked.outcome().name().toLowerCase(Locale.ROOT));
        event(g, tracked.event());
        budgets(g, tracked.budgets());
      } else if (record instanceof AuditRecord.BatchTracked batch) {
        start(g, "INFO", "batch", null);
        optional(g, "op", op);
        g.writeNumberField("recorded", batch.recorded());
        g.writeNumberField("replaced", batch.replaced());
        g.writeNumberField("duplicates", batch.duplicates());
        budgets(g, batch.budgets());
        events(g, batch.events());
      } else if (record instanceof AuditRecord.PeriodRolled rolled) {
        start(g, "INFO", "period_rolled", rolled.budget());
        g.writeStringField("previousEnd", offset(rolled.previousEnd()));
        g.writeStringField("periodStart", offset(rolled.periodStart()));
        g.writeStringField("periodEnd", offset(rolled.periodEnd()));
      } else if (record instanceof AuditRecord.AlertRaised raised) {
        alert(g, raised.alert(), raised.budget());
      } else if (record instanceof AuditRecord.Reset reset) {
        start(g, "INFO", "reset", reset.budget());
        g.writeStringField("periodStart", offset(reset.periodStart()));
        g.writeStringField("periodEnd", offset(reset.periodEnd()));
      } else {
        throw new IllegalArgumentException("unknown audit record " + record.getClass().getName());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: JSON into memory", e);
    }
    out.append('\n');
    return out.toByteArray();
  }

  /**
   * The line that closes operation {@code op} of a process that died before its tracking record was
   * written: {@code events} are those of it the store holds and the trail lacked; {@code notRecorded}
   * counts the others (not in the store, or in the trail already).
   */
  static byte[] recovered(Instant time, String op, List<TokenUsageEvent> events, int notRecorded) {
    return json(g -> {
      g.writeStringField("time", instant(time));
      start(g, events.isEmpty() ? "INFO" : "WARN", "recovered", null);
      g.writeStringField("op", op);
      g.writeNumberField("recovered", events.size());
      g.writeNumberField("notRecorded", notRecorded);
      events(g, events);
    });
  }

  /** The line of {@link PendingOps} that an operation began: its number and events. */
  static byte[] pending(long op, List<TokenUsageEvent> events) {
    return json(g -> {
      g.writeNumberField("op", op);
      events(g, events);
    });
  }

  /** The line of {@link PendingOps} that an operation ended. */
  static byte[] done(long op) {
    return json(g -> g.writeNumberField("done", op));
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  /** One object of {@code fields} and its line break. */
  private static byte[] json(Fields fields) {
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: JSON into memory", e);
    }
    out.append('\n');
    return out.toByteArray();
  }

  private static void events(JsonGenerator g, List<TokenUsageEvent> events) throws IOException {
    g.writeArrayFieldStart("events");
    for (TokenUsageEvent event : events) {
      g.writeStartObject();
      event(g, event);
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** The line's level and event, and its budget for records of one budget ({@code null} for none). */
  private static void start(JsonGenerator g, String level, String event, String budget) throws IOException {
    g.writeStringField("level", level);
    g.writeStringField("event", event);
    if (budget != null) {
      g.writeStringField("budget", budget);
    }
  }

  private static void event(JsonGenerator g, TokenUsageEvent event) throws IOException {
    g.writeStringField("model", event.model());
    g.writeNumberField("tokens", event.totalTokens());
    g.writeNumberField("inputTokens", event.inputTokens());
    g.writeNumberField("outputTokens", event.outputTokens());
    g.writeNumberField("cacheCreationTokens", event.cacheCreationTokens());
    g.writeNumberField("cacheReadTokens", event.cacheReadTokens());
    g.writeStringField("timestamp", instant(event.timestamp()));
    if (event.hasCost()) {
      g.writeNumberField("costUsd", java.math.BigDecimal.valueOf(event.costNanoUsd(), 9));
    }
    optional(g, "requestId", event.requestId());
    optional(g, "project", event.project());
    optional(g, "session", event.session());
    if (!event.tags().isEmpty()) {
      g.writeObjectFieldStart("tags");
      for (Map.Entry<String, String> tag : event.tags().entrySet()) {
        g.writeStringField(tag.getKey(), tag.getValue());
      }
      g.writeEndObject();
    }
  }

  /** Each budget's usage after the tracking: {@code budgets: [{budget, unit, used, limit, ...}]}. */
  private static void budgets(JsonGenerator g, Map<String, Usage> budgets) throws IOException {
    g.writeArrayFieldStart("budgets");
    for (Map.Entry<String, Usage> budget : budgets.entrySet()) {
      g.writeStartObject();
      g.writeStringField("budget", budget.getKey());
      usage(g, budget.getValue());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** A usage in its unit: tokens as numbers, USD amounts in dollars with nine decimal places. */
  private static void usage(JsonGenerator g, Usage usage) throws IOException {
    g.writeStringField("unit", usage.unit().name());
    amount(g, "used", usage.used(), usage.unit());
    amount(g, "limit", usage.limit(), usage.unit());
    g.writeNumberField("percentage", percent(usage.percentage()));
    amount(g, "remaining", usage.remaining(), usage.unit());
  }

  private static void amount(JsonGenerator g, String field, long amount, BudgetUnit unit) throws IOException {
    if (unit == BudgetUnit.USD) {
      g.writeNumberField(field, java.math.BigDecimal.valueOf(amount, 9));
    } else {
      g.writeNumberField(field, amount);
    }
  }

  /** An alert's record carries its severity as the line's level, as a log would. */
  private static void alert(JsonGenerator g, Alert alert, String budget) throws IOException {
    String level = switch (alert.level()) {
      case INFO -> "INFO";
      case WARNING -> "WARN";
      case CRITICAL -> "ERROR";
    };
    start(g, level, "alert", budget);
    g.writeStringField("alertLevel", alert.level().name());
    g.writeNumberField("threshold", alert.threshold());
    g.writeStringField("unit", alert.unit().name());
    amount(g, "used", alert.used(), alert.unit());
    amount(g, "limit", alert.limit(), alert.unit());
    g.writeNumberField("percentage", percent(alert.percentage()));
    g.writeNumberField("remaining", Math.max(0, alert.limit() - alert.used()));
    g.writeStringField("periodEnd", offset(alert.periodEnd().toOffsetDateTime()));
    g.writeStringField("message", alert.message());
  }

  private static void optional(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }

  /** A ratio as a percentage with one decimal, half-up: 0.72449 as 72.4. */
  private static double percent(double ratio) {
    return Math.round(ratio * 1000.0) / 10.0;
  }

  private static String instant(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  /** With seconds always ({@code OffsetDateTime.toString} leaves out zero seconds). */
  private static String offset(OffsetDateTime time) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
  }
}
