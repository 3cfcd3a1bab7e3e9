package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * {@code report --json}: field names and order are part of the contract; new fields may be added at
 * the end of an object, none is renamed or removed.
 *
 * <pre>{@code
 * {"granularity":"monthly",
 *  "periods":[{"start":"2025-06-01","end":"2025-07-01","limit":1000000,"shareOfLimit":0.42,
 *              "models":[{"model":"claude-sonnet-4","inputTokens":1,"outputTokens":2,
 *                         "cacheCreationTokens":3,"cacheReadTokens":4,"totalTokens":10,"calls":1,
 *                         "costUsd":0.000081}],
 *              "total":{"model":"TOTAL",...}}],
 *  "total":{"model":"TOTAL",...},
 *  "by":"model","zone":"UTC","since":null,"until":null,"retainedFrom":null,"reachesBeforeRetained":false,
 *  "unit":"tokens","repriced":null}
 * }</pre>
 *
 * Dates are ISO-8601 days in the report's zone; {@code end} is exclusive. {@code models} holds the
 * rows of the grouping: their first field is named after it ({@code model}, {@code project}, {@code
 * session} or {@code tag}), {@code null} for events without that dimension. {@code limit} and
 * {@code shareOfLimit} are {@code null} where a report period is not a whole number of budget
 * periods; {@code limit} is in the budget's {@code unit} ({@code tokens}, or {@code usd} as a decimal
 * number of dollars). {@code costUsd} is exact ({@link CostUsd}): the cost of the row's priced events,
 * {@code null} when none of them has a price; {@code unpricedEvents} and {@code unpricedTokens}
 * follow only where some events have no price. {@code repriced} is {@code null}, or the price table
 * the report priced every event with ({@code report --reprice}). With {@code --breakdown} (and rows
 * not per model), each row but the totals ends with {@code "breakdown":[{"model":...,...}]}: a row per
 * model, largest first, with the same fields.
 */
final class UsageReportJson {

  /** How a breakdown's rows are written: per model, with no breakdown of their own. */
  private static final UsageReport.Request MODELS = new UsageReport.Request(dev.tokenwatch.domain.BudgetPeriod.DAILY,
      java.time.ZoneOffset.UTC, null, null, Dimension.MODEL, dev.tokenwatch.domain.ledger.UsageFilter.ANY);

  private UsageReportJson() {}

  static String write(UsageReport report) {
    StringWriter out = new StringWriter();
    UsageReport.Request request = report.request();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("granularity", request.granularity().label());
      g.writeArrayFieldStart("periods");
      for (UsageReport.Period p : report.periods()) {
        g.writeStartObject();
        g.writeStringField("start", p.start().toString());
        g.writeStringField("end", p.end().toString());
        if (p.limit() == null) {
          g.writeNullField("limit");
          g.writeNullField("shareOfLimit");
        } else {
          if (report.unit() == BudgetUnit.USD) {
            CostUsd.write(g, "limit", p.limit());
          } else {
            g.writeNumberField("limit", p.limit());
          }
          g.writeNumberField("shareOfLimit", p.shareOfLimit());
        }
        g.writeArrayFieldStart("models");
        for (UsageReport.Row row : p.rows()) {
          writeRow(g, request, row);
        }
        g.writeEndArray();
        g.writeFieldName("total");
        writeRow(g, request, p.total());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeFieldName("total");
      writeRow(g, request, report.total());
      g.writeStringField("by", request.by().label());
      g.writeStringField("zone", request.zone().getId());
      g.writeStringField("since", request.since() == null ? null : request.since().toString());
      g.writeStringField("until", request.until() == null ? null : request.until().toString());
      g.writeStringField("retainedFrom", report.retainedFrom() == null ? null : report.retainedFrom().toString());
      g.writeBooleanField("reachesBeforeRetained", report.reachesBeforeRetained());
      g.writeStringField("unit", report.unit().name().toLowerCase(java.util.Locale.ROOT));
      g.writeStringField("repriced", report.repricedWith() == null ? null : report.repricedWith().description());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report JSON: " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static void writeRow(JsonGenerator g, UsageReport.Request request, UsageReport.Row row) throws IOException {
    g.writeStartObject();
    g.writeStringField(request.by().kind() == Dimension.Kind.TAG ? "tag" : request.by().label(), row.key());
    Counts c = row.counts();
    g.writeNumberField("inputTokens", c.inputTokens());
    g.writeNumberField("outputTokens", c.outputTokens());
    g.writeNumberField("cacheCreationTokens", c.cacheCreationTokens());
    g.writeNumberField("cacheReadTokens", c.cacheReadTokens());
    g.writeNumberField("totalTokens", c.totalTokens());
    g.writeNumberField("calls", c.calls());
    if (row.unpriced()) {
      g.writeNullField("costUsd");
    } else {
      CostUsd.write(g, "costUsd", c.costNanoUsd());
    }
    if (c.unpricedCalls() != 0) {
      g.writeNumberField("unpricedEvents", c.unpricedCalls());
      g.writeNumberField("unpricedTokens", c.unpricedTokens());
    }
    if (request.breaksDown() && !row.key().equals(UsageReport.TOTAL)) {
      g.writeArrayFieldStart("breakdown");
      for (UsageReport.Row model : row.models()) {
        writeRow(g, MODELS, model);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }
}
