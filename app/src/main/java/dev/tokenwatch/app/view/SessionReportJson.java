package dev.tokenwatch.app.view;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.ingest.CostUsd;
import dev.tokenwatch.ingest.UsageReport;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * {@code report session --json} and {@code report project --json}: field names and order are part
 * of the contract; new fields may be added at the end of an object, none is renamed or removed.
 *
 * <pre>{@code
 * {"view":"session",
 *  "sessions":[{"session":"6f1c...","projects":["/home/ann/alpha"],
 *               "firstHour":"2026-11-03T14:00:00Z","lastHour":"2026-11-05T09:00:00Z",
 *               "models":["claude-opus-4-1","claude-sonnet-4-5"],
 *               "inputTokens":1,"outputTokens":2,"cacheCreationTokens":3,"cacheReadTokens":4,
 *               "totalTokens":10,"calls":1,"costUsd":0.000081}],
 *  "total":{"inputTokens":1,...,"costUsd":0.000081},
 *  "zone":"UTC","since":null,"until":null,"retainedFrom":null,"reachesBeforeRetained":false,"repriced":null}
 * }</pre>
 *
 * {@code report project} has {@code "view":"project"} and {@code "projects":[{"project":...,
 * "sessions":N,...}]} (N sessions). Rows are newest activity first; {@code firstHour} and {@code
 * lastHour} are the starts of the hours of the first and last activity, in the report's zone.
 * {@code session} or {@code project} is {@code null} for events without one. Counts and cost as in
 * {@code report --json} ({@code costUsd} exact, {@code null} when no event has a price, {@code
 * unpricedEvents} and {@code unpricedTokens} only where some have none). With {@code --breakdown},
 * each row ends with {@code "breakdown":[{"model":...,"inputTokens":...,...}]}, largest first.
 */
public final class SessionReportJson {

  private SessionReportJson() {}

  /** The report as one JSON document. */
  public static String write(SessionReport report) {
    SessionReport.Request request = report.request();
    boolean bySession = request.by().equals(Dimension.SESSION);
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("view", bySession ? "session" : "project");
      g.writeArrayFieldStart(bySession ? "sessions" : "projects");
      for (SessionReport.Row row : report.rows()) {
        g.writeStartObject();
        g.writeStringField(bySession ? "session" : "project", row.key());
        if (bySession) {
          g.writeArrayFieldStart("projects");
          for (String project : row.related()) {
            g.writeString(project);
          }
          g.writeEndArray();
        } else {
          g.writeNumberField("sessions", row.related().size());
        }
        g.writeStringField("firstHour", Json.time(row.firstHour()));
        g.writeStringField("lastHour", Json.time(row.lastHour()));
        g.writeArrayFieldStart("models");
        for (SessionReport.ModelRow model : row.models()) {
          g.writeString(model.model());
        }
        g.writeEndArray();
        counts(g, row.counts());
        if (request.breakdown()) {
          g.writeArrayFieldStart("breakdown");
          for (SessionReport.ModelRow model : row.models()) {
            g.writeStartObject();
            g.writeStringField("model", model.model());
            counts(g, model.counts());
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("total");
      counts(g, report.total());
      g.writeEndObject();
      g.writeStringField("zone", request.zone().getId());
      g.writeStringField("since", request.since() == null ? null : request.since().toString());
      g.writeStringField("until", request.until() == null ? null : request.until().toString());
      g.writeStringField("retainedFrom", report.retainedFrom() == null ? null : report.retainedFrom().toString());
      g.writeBooleanField("reachesBeforeRetained", report.reachesBeforeRetained());
      g.writeStringField("repriced", report.repricedWith() == null ? null : report.repricedWith().description());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report JSON: " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static void counts(JsonGenerator g, Counts c) throws IOException {
    g.writeNumberField("inputTokens", c.inputTokens());
    g.writeNumberField("outputTokens", c.outputTokens());
    g.writeNumberField("cacheCreationTokens", c.cacheCreationTokens());
    g.writeNumberField("cacheReadTokens", c.cacheReadTokens());
    g.writeNumberField("totalTokens", c.totalTokens());
    g.writeNumberField("calls", c.calls());
    if (UsageReport.unpriced(c)) {
      g.writeNullField("costUsd");
    } else {
      g.writeFieldName("costUsd");
      g.writeNumber(CostUsd.of(c.costNanoUsd()).toPlainString());
    }
    if (c.unpricedCalls() != 0) {
      g.writeNumberField("unpricedEvents", c.unpricedCalls());
      g.writeNumberField("unpricedTokens", c.unpricedTokens());
    }
  }
}
