package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.port.ModelTotals;
import dev.tokenwatch.domain.port.PeriodTotals;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Report rows for {@code tokenwatch report daily|weekly|monthly}: per period and model the input,
 * output, cache-creation, cache-read and total tokens and calls, a total per period with its share
 * of the budget limit, and a grand total. Pure data; the caller formats it.
 *
 * <p><b>Granularity.</b> Stores keep totals per <em>budget</em> period (see {@link
 * TokenTracker#getPeriodTotals}), so a report can be as fine as the budget period and coarser only
 * where budget periods nest exactly: a daily budget gives daily, weekly and monthly reports; a
 * weekly budget weekly reports (weeks straddle months); a monthly budget monthly reports. A finer
 * report cannot be derived from coarser totals and is refused with an explanation rather than
 * guessed. Use {@link #supports} to check first.
 */
public final class UsageReport {

  /** The model name of total rows. */
  public static final String TOTAL = "TOTAL";

  private final BudgetPeriod granularity;
  private final List<Period> periods;
  private final Row total;

  private UsageReport(BudgetPeriod granularity, List<Period> periods, Row total) {
    this.granularity = granularity;
    this.periods = List.copyOf(periods);
    this.total = total;
  }

  /**
   * Whether a report of {@code granularity} can be built from totals kept per {@code budgetPeriod}.
   */
  public static boolean supports(BudgetPeriod budgetPeriod, BudgetPeriod granularity) {
    return budgetPeriod == granularity || budgetPeriod == BudgetPeriod.DAILY;
  }

  /**
   * The report of {@code tracker}'s budget for the periods overlapping [{@code since}, {@code
   * until}] (both days inclusive, in the budget's zone; null for no bound).
   *
   * @param model only this model's rows (exact name), or null for all
   * @throws IllegalArgumentException if the granularity is finer than the budget period allows
   */
  public static UsageReport of(TokenTracker tracker, BudgetPeriod granularity, LocalDate since, LocalDate until,
      String model) {
    TokenBudget budget = tracker.getBudget();
    requireSupported(budget.period(), granularity);
    ZoneId zone = budget.zone();
    Instant from = since == null ? Instant.EPOCH
        : granularity.startOf(since.atStartOfDay(zone).toInstant(), zone).toInstant();
    Instant to = until == null ? tracker.getCurrentPeriod().endInstant().plus(Duration.ofDays(1))
        : until.plusDays(1).atStartOfDay(zone).toInstant();
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("until (" + until + ") must not be before since (" + since + ')');
    }
    return from(budget, granularity, tracker.getPeriodTotals(from, to), model);
  }

  /**
   * The report of {@code totals} (as returned by {@link TokenTracker#getPeriodTotals}, one entry per
   * budget period) at {@code granularity}.
   *
   * @param model only this model's rows (exact name), or null for all
   * @throws IllegalArgumentException if the granularity is finer than the budget period allows
   */
  public static UsageReport from(TokenBudget budget, BudgetPeriod granularity, List<PeriodTotals> totals,
      String model) {
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(granularity, "granularity");
    requireSupported(budget.period(), granularity);
    ZoneId zone = budget.zone();
    TreeMap<LocalDate, Map<String, long[]>> byPeriod = new TreeMap<>();
    for (PeriodTotals period : totals) {
      LocalDate start = granularity.startOf(period.periodStart(), zone).toLocalDate();
      for (ModelTotals m : period.models()) {
        if (model != null && !model.equals(m.model())) {
          continue;
        }
        long[] sums = byPeriod.computeIfAbsent(start, s -> new LinkedHashMap<>())
            .computeIfAbsent(m.model(), k -> new long[6]);
        sums[0] += m.inputTokens();
        sums[1] += m.outputTokens();
        sums[2] += m.cacheCreationTokens();
        sums[3] += m.cacheReadTokens();
        sums[4] += m.totalTokens();
        sums[5] += m.calls();
      }
    }
    List<Period> periods = new ArrayList<>();
    long[] grand = new long[6];
    byPeriod.forEach((start, models) -> {
      List<Row> rows = new ArrayList<>();
      long[] sum = new long[6];
      models.forEach((name, s) -> {
        rows.add(Row.of(name, s));
        for (int i = 0; i < 6; i++) {
          sum[i] += s[i];
          grand[i] += s[i];
        }
      });
      rows.sort(Row.ORDER);
      LocalDate end = granularity.endOf(start.atStartOfDay(zone)).toLocalDate();
      long budgetPeriods = granularity == budget.period() ? 1 : ChronoUnit.DAYS.between(start, end);
      long limit = Math.multiplyHigh(budget.limit(), budgetPeriods) != 0 ? Long.MAX_VALUE
          : budget.limit() * budgetPeriods;
      Row total = Row.of(TOTAL, sum);
      periods.add(new Period(start, end, rows, total, limit, (double) total.totalTokens() / limit));
    });
    return new UsageReport(granularity, periods, Row.of(TOTAL, grand));
  }

  private static void requireSupported(BudgetPeriod budgetPeriod, BudgetPeriod granularity) {
    if (!supports(budgetPeriod, granularity)) {
      throw new IllegalArgumentException("a " + granularity.label() + " report needs totals per "
          + granularity.label() + " period or finer, but usage is kept per budget period ("
          + budgetPeriod.label() + "); use '" + budgetPeriod.label()
          + "', or a daily budget for reports of any granularity");
    }
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
   *  "total":{"model":"TOTAL",...}}
   * }</pre>
   *
   * Dates are ISO-8601 days in the budget's zone; {@code end} is exclusive.
   */
  public String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("granularity", granularity.label());
      g.writeArrayFieldStart("periods");
      for (Period p : periods) {
        g.writeStartObject();
        g.writeStringField("start", p.start().toString());
        g.writeStringField("end", p.end().toString());
        g.writeNumberField("limit", p.limit());
        g.writeNumberField("shareOfLimit", p.shareOfLimit());
        g.writeArrayFieldStart("models");
        for (Row row : p.models()) {
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
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report JSON: " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static void writeRow(JsonGenerator g, Row row) throws IOException {
    g.writeStartObject();
    g.writeStringField("model", row.model());
    g.writeNumberField("inputTokens", row.inputTokens());
    g.writeNumberField("outputTokens", row.outputTokens());
    g.writeNumberField("cacheCreationTokens", row.cacheCreationTokens());
    g.writeNumberField("cacheReadTokens", row.cacheReadTokens());
    g.writeNumberField("totalTokens", row.totalTokens());
    g.writeNumberField("calls", row.calls());
    g.writeEndObject();
  }

  /** The granularity of {@link #periods()}. */
  public BudgetPeriod granularity() {
    return granularity;
  }

  /** Periods with usage, oldest first. */
  public List<Period> periods() {
    return periods;
  }

  /** The sum over all periods, model {@link #TOTAL}. */
  public Row total() {
    return total;
  }

  /**
   * One report period.
   *
   * @param start first day (in the budget's zone)
   * @param end the day after the last day
   * @param models a row per model, largest total first
   * @param total the period's total row, model {@link UsageReport#TOTAL}
   * @param limit the budget limit for this period: the budget's limit times the budget periods it
   *     spans (a monthly report of a daily budget: limit times the days of the month)
   * @param shareOfLimit total tokens / limit; 0.72 means 72%
   */
  public record Period(LocalDate start, LocalDate end, List<Row> models, Row total, long limit, double shareOfLimit) {
    public Period {
      models = List.copyOf(models);
    }
  }

  /** Tokens of each type and calls of one model (or {@link UsageReport#TOTAL}). */
  public record Row(String model, long inputTokens, long outputTokens, long cacheCreationTokens,
      long cacheReadTokens, long totalTokens, long calls) {

    static final Comparator<Row> ORDER =
        Comparator.comparingLong(Row::totalTokens).reversed().thenComparing(Row::model);

    static Row of(String model, long[] s) {
      return new Row(model, s[0], s[1], s[2], s[3], s[4], s[5]);
    }
  }
}
