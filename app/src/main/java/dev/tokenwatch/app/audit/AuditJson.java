package dev.tokenwatch.app.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.port.AuditRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * An audit record as one line of JSON in UTF-8, line break included: {@code time}, {@code level},
 * {@code event} ({@code track}, {@code batch}, {@code period_rolled}, {@code alert}, {@code reset})
 * and {@code budget}, then the record's fields. Times are ISO-8601 with an offset: instants in UTC
 * ({@code 2026-12-01T00:00:00Z}), period bounds with the budget zone's offset.
 */
final class AuditJson {

  private static final JsonFactory JSON = new JsonFactory();

  private AuditJson() {}

  static byte[] line(AuditRecord record) {
    ByteArrayBuilder out = new ByteArrayBuilder(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("time", instant(record.time()));
      if (record instanceof AuditRecord.Tracked tracked) {
        start(g, "INFO", "track", record);
        g.writeStringField("outcome", tracked.outcome().name().toLowerCase(Locale.ROOT));
        event(g, tracked.event());
        usage(g, tracked.usage());
      } else if (record instanceof AuditRecord.BatchTracked batch) {
        start(g, "INFO", "batch", record);
        g.writeNumberField("recorded", batch.recorded());
        g.writeNumberField("replaced", batch.replaced());
        g.writeNumberField("duplicates", batch.duplicates());
        usage(g, batch.usage());
        g.writeArrayFieldStart("events");
        for (TokenUsageEvent event : batch.events()) {
          g.writeStartObject();
          event(g, event);
          g.writeEndObject();
        }
        g.writeEndArray();
      } else if (record instanceof AuditRecord.PeriodRolled rolled) {
        start(g, "INFO", "period_rolled", record);
        g.writeStringField("previousEnd", offset(rolled.previousEnd()));
        g.writeStringField("periodStart", offset(rolled.periodStart()));
        g.writeStringField("periodEnd", offset(rolled.periodEnd()));
      } else if (record instanceof AuditRecord.AlertRaised raised) {
        alert(g, raised.alert(), record);
      } else if (record instanceof AuditRecord.Reset reset) {
        start(g, "INFO", "reset", record);
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

  private static void start(JsonGenerator g, String level, String event, AuditRecord record) throws IOException {
    g.writeStringField("level", level);
    g.writeStringField("event", event);
    g.writeStringField("budget", record.budget());
  }

  private static void event(JsonGenerator g, TokenUsageEvent event) throws IOException {
    g.writeStringField("model", event.model());
    g.writeNumberField("tokens", event.totalTokens());
    g.writeNumberField("inputTokens", event.inputTokens());
    g.writeNumberField("outputTokens", event.outputTokens());
    g.writeNumberField("cacheCreationTokens", event.cacheCreationTokens());
    g.writeNumberField("cacheReadTokens", event.cacheReadTokens());
    g.writeStringField("timestamp", instant(event.timestamp()));
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

  private static void usage(JsonGenerator g, Usage usage) throws IOException {
    g.writeNumberField("used", usage.used());
    g.writeNumberField("limit", usage.limit());
    g.writeNumberField("percentage", percent(usage.percentage()));
    g.writeNumberField("remaining", usage.remaining());
  }

  /** An alert's record carries its severity as the line's level, as a log would. */
  private static void alert(JsonGenerator g, Alert alert, AuditRecord record) throws IOException {
    String level = switch (alert.level()) {
      case INFO -> "INFO";
      case WARNING -> "WARN";
      case CRITICAL -> "ERROR";
    };
    start(g, level, "alert", record);
    g.writeStringField("alertLevel", alert.level().name());
    g.writeNumberField("threshold", alert.threshold());
    g.writeNumberField("used", alert.used());
    g.writeNumberField("limit", alert.limit());
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
