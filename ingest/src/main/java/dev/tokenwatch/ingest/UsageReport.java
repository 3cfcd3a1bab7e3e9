package dev.tokenwatch.ingest;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.cost.Pricing;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.UsageAggregator;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.ledger.UsageRow;
import dev.tokenwatch.domain.port.UsageStore;
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
 * total tokens, calls and cost (with the calls and tokens that had no price), a total per period with
 * its share of the budget limit (in the budget's unit) where the period is a whole number of budget
 * periods, and a grand total. Answered exactly from the ledger, whatever the budget's period. The
 * cost is the one stored with each event when it was recorded, unless the report is {@linkplain
 * #repriced repriced}. Pure data; the caller formats it.
 */
public final class UsageReport {

  /** The key of total rows. */
  public static final String TOTAL = "TOTAL";

  private final Request request;
  private final List<Period> periods;
  private final Row total;
  private final Instant retainedFrom;
  private final boolean reachesBeforeRetained;
  private final BudgetUnit unit;
  private final PriceTable repricedWith;

  private UsageReport(Request request, List<Period> periods, Row total, UsageAnswer answer, BudgetUnit unit,
      PriceTable repricedWith) {
    this.request = request;
    this.periods = List.copyOf(periods);
    this.total = total;
    this.retainedFrom = answer.retainedFrom();
    this.reachesBeforeRetained = answer.reachesBeforeRetained();
    this.unit = unit;
    this.repricedWith = repricedWith;
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
   * @param breakdown whether each row gets a row per model under it ({@link Row#models()}); rows per
   *     model ({@code by} {@link Dimension#MODEL}) have none
   */
  public record Request(BudgetPeriod granularity, ZoneId zone, LocalDate since, LocalDate until, Dimension by,
      UsageFilter filter, boolean breakdown) {
    /** A request without a per-model breakdown. */
    public Request(BudgetPeriod granularity, ZoneId zone, LocalDate since, LocalDate until, Dimension by,
        UsageFilter filter) {
      this(granularity, zone, since, until, by, filter, false);
    }

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
      UsageQuery query = UsageQuery.all().between(from, to).filter(filter).per(granularity.grain(), zone);
      return breaksDown() ? query.groupBy(by, Dimension.MODEL) : query.groupBy(by);
    }

    /** Whether rows get per-model rows: asked for, and the rows are not per model already. */
    public boolean breaksDown() {
      return breakdown && !by.equals(Dimension.MODEL);
    }
  }

  /**
   * The report of {@code request} from {@code tracker}'s ledger, with limits from its budget and each
   * event's cost as stored when it was recorded.
   */
  public static UsageReport of(TokenTracker tracker, Request request) {
    return of(tracker, tracker.getBudget(), request);
  }

  /** The report of {@code request} from {@code tracker}'s ledger, with the limits of {@code budget}. */
  public static UsageReport of(TokenTracker tracker, TokenBudget budget, Request request) {
    return of(budget, request, tracker.query(request.query()), null);
  }

  /**
   * The report of {@code request} with every event priced again with {@code prices} (today's table)
   * in place of the cost stored with it, for this report only. Exact: each event of the range is read
   * from {@code store} (the tracker's) and priced on its own, as when it was recorded, so tiered
   * prices (a cliff per call's prompt size) and dated prices come out as they would for a new event.
   * Reads every event the filter passes, so it takes longer and more memory than {@link #of}.
   */
  public static UsageReport repriced(TokenTracker tracker, UsageStore store, Request request, PriceTable prices) {
    return repriced(tracker, tracker.getBudget(), store, request, prices);
  }

  /** {@link #repriced(TokenTracker, UsageStore, Request, PriceTable)} with the limits of {@code budget}. */
  public static UsageReport repriced(TokenTracker tracker, TokenBudget budget, UsageStore store, Request request,
      PriceTable prices) {
    return of(budget, request, repricedAnswer(tracker, store, request.query(), prices), prices);
  }

  /**
   * The answer to {@code query} with every event it covers priced again with {@code prices}: each
   * event read from {@code store} (the tracker's) and priced on its own, as when it was recorded.
   * Reads every event the query's filter passes.
   */
  public static UsageAnswer repricedAnswer(TokenTracker tracker, UsageStore store, UsageQuery query,
      PriceTable prices) {
    UsageAnswer stored = tracker.query(query); // retention as the plain report sees it
    Pricing pricing = new Pricing(prices);
    UsageAggregator aggregator = new UsageAggregator(query);
    for (TokenUsageEvent event : store.history(query.filter(), Integer.MAX_VALUE)) {
      if (query.covers(event.timestamp())) {
        aggregator.offer(pricing.price(event.withCost(TokenUsageEvent.NO_COST)));
      }
    }
    return new UsageAnswer(aggregator.rows(), stored.retainedFrom(), stored.reachesBeforeRetained());
  }

  private static UsageReport of(TokenBudget budget, Request request, UsageAnswer answer, PriceTable repricedWith) {
    Map<Instant, List<UsageRow>> byStart = new LinkedHashMap<>();
    for (UsageRow row : answer.rows()) {
      byStart.computeIfAbsent(row.start(), s -> new ArrayList<>()).add(row);
    }
    List<Period> periods = new ArrayList<>();
    Counts grand = Counts.ZERO;
    for (Map.Entry<Instant, List<UsageRow>> entry : byStart.entrySet()) {
      ZonedDateTime start = entry.getKey().atZone(request.zone());
      LocalDate end = request.granularity().endOf(start).toLocalDate();
      List<Row> rows = request.breaksDown() ? brokenDown(entry.getValue()) : new ArrayList<>();
      Counts sum = Counts.ZERO;
      for (UsageRow row : entry.getValue()) {
        if (!request.breaksDown()) {
          rows.add(new Row(row.key(0), row.counts()));
        }
        sum = sum.plus(row.counts());
      }
      grand = grand.plus(sum);
      Long limit = limitOf(budget, request, start.toLocalDate(), end);
      periods.add(new Period(start.toLocalDate(), end, rows, new Row(TOTAL, sum), limit,
          limit == null ? null : (double) budget.measure(sum) / limit));
    }
    return new UsageReport(request, periods, new Row(TOTAL, grand), answer, budget.unit(), repricedWith);
  }

  /** Rows of (key, model) pairs as a row per key, largest total first, with its models under it. */
  private static List<Row> brokenDown(List<UsageRow> pairs) {
    Map<String, List<Row>> models = new LinkedHashMap<>(); // pairs come largest first: so do the models
    Map<String, Counts> totals = new LinkedHashMap<>();
    for (UsageRow pair : pairs) {
      models.computeIfAbsent(pair.key(0), k -> new ArrayList<>()).add(new Row(pair.key(1), pair.counts()));
      totals.merge(pair.key(0), pair.counts(), Counts::plus);
    }
    List<Row> rows = new ArrayList<>();
    totals.forEach((key, counts) -> rows.add(new Row(key, counts, models.get(key))));
    rows.sort(java.util.Comparator.comparingLong((Row r) -> r.counts().totalTokens()).reversed());
    return rows;
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
   * The report as stable JSON, described in {@link UsageReportJson} (field names and order are part
   * of the contract of {@code report --json}).
   */
  public String toJson() {
    return UsageReportJson.write(this);
  }

  /** Whether {@code counts} are of calls none of which has a price: no cost to show, not $0. */
  public static boolean unpriced(Counts counts) {
    return counts.calls() > 0 && counts.unpricedCalls() == counts.calls();
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

  /** What the budget's limit counts, and so {@link Period#limit()}: tokens or nano-dollars. */
  public BudgetUnit unit() {
    return unit;
  }

  /** The table the report priced every event with, or {@code null}: each event's stored cost. */
  public PriceTable repricedWith() {
    return repricedWith;
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
   *     spans) in the budget's {@linkplain UsageReport#unit() unit}, or {@code null} where the period
   *     is not a whole number of budget periods
   * @param shareOfLimit what the budget counts (total tokens, or cost) / limit (0.72 means 72%), or
   *     {@code null} without a limit
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
   * @param counts its totals, with the cost of its priced events and the count of unpriced ones
   * @param models a row per model of the group, largest total first ({@link Request#breakdown()}),
   *     else empty
   */
  public record Row(String key, Counts counts, List<Row> models) {
    public Row {
      models = List.copyOf(models);
    }

    /** A row without a per-model breakdown. */
    public Row(String key, Counts counts) {
      this(key, counts, List.of());
    }

    /** Whether the row's events all lack a price, so it has no cost to show (not $0). */
    public boolean unpriced() {
      return UsageReport.unpriced(counts);
    }
  }
}
