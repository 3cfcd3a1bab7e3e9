package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.ledger.UsageRow;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Report rows for {@code tokenwatch report daily|weekly|monthly}: per period and group (model by
 * default; or project, session, a tag's value) the input, output, cache-creation, cache-read and
 * total tokens and calls, a total per period with its share of the budget limit where the period is
 * a whole number of budget periods, and a grand total. Answered exactly from the ledger, whatever the
 * budget's period. Pure data; the caller formats it.
 */
public final class UsageReport {

  /** The key of total rows. */
  public static final String TOTAL = "TOTAL";

  private final Request request;
  private final List<Period> periods;
  private final Row total;
  private final Instant retainedFrom;
  private final boolean reachesBeforeRetained;

  private UsageReport(Request request, List<Period> periods, Row total, UsageAnswer answer) {
    this.request = request;
    this.periods = List.copyOf(periods);
    this.total = total;
    this.retainedFrom = answer.retainedFrom();
    this.reachesBeforeRetained = answer.reachesBeforeRetained();
  }

  /**
   * What to report.
   *
   * @param granularity the length of the report's periods
   * @param zone the zone the periods and days are cut in
   * @param since first day, inclusive, or {@code null} for the beginning of the ledger
   * @param until last day, inclusive, or {@code null} for no end
   * @param by the dimension of the rows within a period
   * @param filter which events count
   */
  public record Request(BudgetPeriod granularity, ZoneId zone, LocalDate since, LocalDate until, Dimension by,
      UsageFilter filter) {
    public Request {
      Objects.requireNonNull(granularity, "granularity");
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(filter, "filter");
      if (since != null && until != null && until.isBefore(since)) {
        throw new IllegalArgumentException("until (" + until + ") must not be before since (" + since + ")");
      }
    }

    /** The ledger query of this report: exact days in the zone, not whole periods. */
    UsageQuery query() {
      Instant from = since == null ? null : since.atStartOfDay(zone).toInstant();
      Instant to = until == null ? null : until.plusDays(1).atStartOfDay(zone).toInstant();
      return UsageQuery.all().between(from, to).filter(filter).per(granularity.grain(), zone).groupBy(by);
    }
  }

  /** The report of {@code request} from {@code tracker}'s ledger, with limits from its budget. */
  public static UsageReport of(TokenTracker tracker, Request request) {
    UsageAnswer answer = tracker.query(request.query());
    TokenBudget budget = tracker.getBudget();
    Map<Instant, List<UsageRow>> byStart = new LinkedHashMap<>();
    for (UsageRow row : answer.rows()) {
      byStart.computeIfAbsent(row.start(), s -> new ArrayList<>()).add(row);
    }
    List<Period> periods = new ArrayList<>();
    Counts grand = Counts.ZERO;
    for (Map.Entry<Instant, List<UsageRow>> entry : byStart.entrySet()) {
      ZonedDateTime start = entry.getKey().atZone(request.zone());
      LocalDate end = request.granularity().endOf(start).toLocalDate();
      List<Row> rows = new ArrayList<>();
      Counts sum = Counts.ZERO;
      for (UsageRow row : entry.getValue()) {
        rows.add(new Row(row.key(0), row.counts()));
        sum = sum.plus(row.counts());
      }
      grand = grand.plus(sum);
      Long limit = limitOf(budget, request, start.toLocalDate(), end);
      periods.add(new Period(start.toLocalDate(), end, rows, new Row(TOTAL, sum), limit,
          limit == null ? null : (double) sum.totalTokens() / limit));
    }
    return new UsageReport(request, periods, new Row(TOTAL, grand), answer);
  }

  /**
   * The budget's limit for a report period that is a whole number of budget periods in the budget's
   * own zone (a monthly report of a daily budget: the limit times the days of the month); {@code
   * null} where the report's periods do not line up with the budget's.
   */
  private static Long limitOf(TokenBudget budget, Request request, LocalDate start, LocalDate end) {
    if (!request.zone().equals(budget.zone())) {
      return null;
    }
    long budgetPeriods;
    if (request.granularity() == budget.period()) {
      budgetPeriods = 1;
    } else if (budget.period() == BudgetPeriod.DAILY) {
      budgetPeriods = ChronoUnit.DAYS.between(start, end);
    } else {
      return null;
    }
    return Math.multiplyHigh(budget.limit(), budgetPeriods) != 0 ? Long.MAX_VALUE : budget.limit() * budgetPeriods;
  }

  /**
   * The report as stable JSON (field names and order are part of the contract of {@code report
   * --json}; new fields may be added at the end of an object, none is renamed or removed):
   *
   * <pre>{@code
   * {"granularity":"monthly",
   *  "periods":[{"start":"2025-06-01","end":"2025-07-01","limit":1000000,"shareOfLimit":0.42,
   *              "models":[{"model":"claude-sonnet-4","inputTokens":1,"outputTokens":2,
   *                         "cacheCreationTokens":3,"cacheReadTokens":4,"totalTokens":10,"calls":1}],
   *              "total":{"model":"TOTAL",...}}],
   *  "total":{"model":"TOTAL",...},
   *  "by":"model","zone":"UTC","since":null,"until":null,"retainedFrom":null,"reachesBeforeRetained":false}
   * }</pre>
   *
   * Dates are ISO-8601 days in the report's zone; {@code end} is exclusive. {@code models} holds the
   * rows of the grouping: their first field is named after it ({@code model}, {@code project}, {@code
   * session} or {@code tag}), {@code null} for events without that dimension. {@code limit} and
   * {@code shareOfLimit} are {@code null} where a report period is not a whole number of budget
   * periods.
   */
  public String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("granularity", request.granularity().label());
      g.writeArrayFieldStart("periods");
      for (Period p : periods) {
        g.writeStartObject();
        g.writeStringField("start", p.start().toString());
        g.writeStringField("end", p.end().toString());
        writeNullable(g, "limit", p.limit());
        if (p.shareOfLimit() == null) {
          g.writeNullField("shareOfLimit");
        } else {
          g.writeNumberField("shareOfLimit", p.shareOfLimit());
        }
        g.writeArrayFieldStart("models");
        for (Row row : p.rows()) {
          writeRow(g, row);
        }
        g.writeEndArray();
        g.writeFieldName("total");
        writeRow(g, p.total());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeFieldName("total");
      writeRow(g, total);
      g.writeStringField("by", request.by().label());
      g.writeStringField("zone", request.zone().getId());
      g.writeStringField("since", request.since() == null ? null : request.since().toString());
      g.writeStringField("until", request.until() == null ? null : request.until().toString());
      g.writeStringField("retainedFrom", retainedFrom == null ? null : retainedFrom.toString());
      g.writeBooleanField("reachesBeforeRetained", reachesBeforeRetained);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report JSON: " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static void writeNullable(JsonGenerator g, String field, Long value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, value);
    }
  }

  private void writeRow(JsonGenerator g, Row row) throws IOException {
    g.writeStartObject();
    g.writeStringField(request.by().kind() == Dimension.Kind.TAG ? "tag" : request.by().label(), row.key());
    Counts c = row.counts();
    g.writeNumberField("inputTokens", c.inputTokens());
    g.writeNumberField("outputTokens", c.outputTokens());
    g.writeNumberField("cacheCreationTokens", c.cacheCreationTokens());
    g.writeNumberField("cacheReadTokens", c.cacheReadTokens());
    g.writeNumberField("totalTokens", c.totalTokens());
    g.writeNumberField("calls", c.calls());
    g.writeEndObject();
  }

  /** What was asked. */
  public Request request() {
    return request;
  }

  /** Periods with usage, oldest first. */
  public List<Period> periods() {
    return periods;
  }

  /** The sum over all periods, key {@link #TOTAL}. */
  public Row total() {
    return total;
  }

  /** Where the store's retained data begins, or {@code null} if it keeps everything. */
  public Instant retainedFrom() {
    return retainedFrom;
  }

  /** Whether the report asked for time before the retained data, so its figures leave some out. */
  public boolean reachesBeforeRetained() {
    return reachesBeforeRetained;
  }

  /**
   * One report period.
   *
   * @param start first day (in the report's zone)
   * @param end the day after the last day
   * @param rows a row per group, largest total first
   * @param total the period's total row, key {@link UsageReport#TOTAL}
   * @param limit the budget limit for this period (the budget's limit times the budget periods it
   *     spans), or {@code null} where the period is not a whole number of budget periods
   * @param shareOfLimit total tokens / limit (0.72 means 72%), or {@code null} without a limit
   */
  public record Period(LocalDate start, LocalDate end, List<Row> rows, Row total, Long limit, Double shareOfLimit) {
    public Period {
      rows = List.copyOf(rows);
    }
  }

  /**
   * The totals of one group.
   *
   * @param key the group's value of the report's dimension ({@code null} for events without it), or
   *     {@link UsageReport#TOTAL}
   * @param counts its totals
   */
  public record Row(String key, Counts counts) {}
}
