package dev.tokenwatch.app.view;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.ingest.CostUsd;
import dev.tokenwatch.ingest.UsageReport;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code report --html}: one self-contained page (inline CSS, inline SVG, a few lines of inline
 * script for the cost/tokens switch; nothing fetched when it is opened) with a stacked bar per
 * period and group, the budget's line, and the report's table below. Every figure comes from the
 * {@link UsageReport} that {@code --json} writes; every text is escaped.
 */
public final class HtmlReport {

  /** Distinguishable on light and dark backgrounds; groups past the tenth get generated hues. */
  private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
      "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

  private static final String STYLE = """
      :root{color-scheme:light dark;--fg:#1d2330;--bg:#fff;--muted:#5f6673;--grid:#dfe2e8;--accent:#2f6fd0}
      @media (prefers-color-scheme:dark){:root{--fg:#e4e7ee;--bg:#15171c;--muted:#9aa1ad;--grid:#323843;\
      --accent:#7aa7f0}}
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);\
      background:var(--bg);max-width:1120px;margin:1.5rem auto;padding:0 1rem}
      h1{font-size:1.35rem;margin:0 0 .3rem}p{margin:.25rem 0}.meta,.note{color:var(--muted)}
      .switch{margin:1rem 0 .5rem}.switch button{font:inherit;padding:.25rem .9rem;border:1px solid var(--accent);\
      background:transparent;color:var(--accent);cursor:pointer}.switch button:first-child{border-radius:4px 0 0 4px}
      .switch button:last-child{border-radius:0 4px 4px 0}.switch button[aria-pressed=true]{background:var(--accent);\
      color:var(--bg)}
      body[data-measure=cost] [data-measure=tokens],body[data-measure=tokens] [data-measure=cost]\
      {display:none}
      .legend{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem}
      .swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.35rem;\
      vertical-align:-1px}.swatch.limit{height:0;border-top:2px dashed #d62728;border-radius:0}
      svg.bars{width:100%;height:auto;display:block}svg .grid{stroke:var(--grid)}svg .baseline{stroke:var(--muted)}
      svg .axis{fill:var(--muted);font-size:11px}svg .limit{stroke:#d62728;stroke-width:2;stroke-dasharray:6 4}
      svg rect.bar:hover{opacity:.8}
      table{border-collapse:collapse;width:100%;margin-top:1.5rem;font-variant-numeric:tabular-nums}
      th,td{padding:.2rem .5rem;text-align:left;white-space:nowrap}th{border-bottom:2px solid var(--grid)}
      .num{text-align:right}tr.period-total td{font-weight:600;border-bottom:1px solid var(--grid)}
      tr.grand-total td{font-weight:700;border-top:2px solid var(--grid)}td.key{white-space:normal;\
      word-break:break-all}
      """;

  /** Shows one chart: a button's {@code data-show}, or {@code #cost} / {@code #tokens} in the address. */
  private static final String SCRIPT = """
      (function () {
        function show(measure) {
          document.body.setAttribute('data-measure', measure);
          document.querySelectorAll('button[data-show]').forEach(function (b) {
            b.setAttribute('aria-pressed', String(b.getAttribute('data-show') === measure));
          });
        }
        document.querySelectorAll('button[data-show]').forEach(function (b) {
          b.addEventListener('click', function () { show(b.getAttribute('data-show')); });
        });
        var wanted = location.hash.slice(1);
        if (wanted === 'cost' || wanted === 'tokens') { show(wanted); }
      })();
      """;

  private HtmlReport() {}

  /** The page of {@code report}, with the limits of {@code budget}; {@code scopeHeader} from {@code --budget}. */
  public static String page(UsageReport report, TokenBudget budget, String scopeHeader) {
    UsageReport.Request request = report.request();
    String title = "tokenwatch: " + request.granularity().label() + " report by " + request.by().label();
    boolean costFirst = report.total().counts().calls() == 0 || !report.total().unpriced();
    String measure = costFirst ? "cost" : "tokens";
    StringBuilder s = new StringBuilder(16_384);
    s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        // nothing from the network, whatever the page contains
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
            + " script-src 'unsafe-inline'; img-src data:\">\n")
        .append("<title>").append(Html.escape(title)).append("</title>\n<style>\n").append(STYLE)
        .append("</style>\n</head>\n<body data-measure=\"").append(measure).append("\">\n");
    s.append("<h1>").append(Html.escape(title)).append("</h1>\n");
    s.append("<p class=\"meta\">").append(Html.escape(description(report, budget))).append("</p>\n");
    for (String note : notes(report, scopeHeader)) {
      s.append("<p class=\"note\">").append(Html.escape(note)).append("</p>\n");
    }
    if (report.periods().isEmpty()) {
      s.append("<p class=\"empty\">No usage recorded in this range.</p>\n");
    } else {
      charts(s, report, budget, measure);
      s.append(HtmlTable.table(report));
    }
    s.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
    return s.toString();
  }

  private static void charts(StringBuilder s, UsageReport report, TokenBudget budget, String measure) {
    Map<String, String> colours = colours(report);
    s.append("<div class=\"switch\" role=\"group\" aria-label=\"Measure\">")
        .append("<button type=\"button\" data-show=\"cost\" aria-pressed=\"").append(measure.equals("cost"))
        .append("\">Cost (USD)</button><button type=\"button\" data-show=\"tokens\" aria-pressed=\"")
        .append(measure.equals("tokens")).append("\">Tokens</button></div>\n");
    s.append("<ul class=\"legend\">\n");
    colours.forEach((key, colour) -> s.append("<li data-key=\"").append(Html.escape(key))
        .append("\"><span class=\"swatch\" style=\"background:").append(colour).append("\"></span>")
        .append(Html.escape(key)).append("</li>\n"));
    boolean anyLine = report.periods().stream().anyMatch(p -> budgetLine(report, budget, p) != null);
    if (anyLine) {
      boolean shares = report.periods().stream().anyMatch(p -> p.limit() == null);
      s.append("<li class=\"limit-key\" data-measure=\"").append(budget.unit() == BudgetUnit.USD ? "cost" : "tokens")
          .append("\"><span class=\"swatch limit\"></span>").append(Html.escape("budget '" + budget.name() + "': "
              + (shares ? "its share of " : "") + budget.unit().format(budget.limit()) + " per "
              + budget.period().label() + " period")).append("</li>\n");
    }
    s.append("</ul>\n");
    s.append("<div class=\"chart\" data-measure=\"cost\">\n")
        .append(SvgBars.svg("cost", "Cost (USD) per period by " + report.request().by().label(),
            columns(report, budget, BudgetUnit.USD), colours, BudgetUnit::formatUsd))
        .append("</div>\n");
    s.append("<div class=\"chart\" data-measure=\"tokens\">\n")
        .append(SvgBars.svg("tokens", "Total tokens per period by " + report.request().by().label(),
            columns(report, budget, BudgetUnit.TOKENS), colours, HtmlReport::axisTokens))
        .append("</div>\n");
  }

  /** A column per period; segments of {@code unit} (dollars or tokens) in the legend's order. */
  private static List<SvgBars.Column> columns(UsageReport report, TokenBudget budget, BudgetUnit unit) {
    List<String> order = new ArrayList<>(colours(report).keySet());
    List<SvgBars.Column> columns = new ArrayList<>();
    for (UsageReport.Period period : report.periods()) {
      List<UsageReport.Row> rows = new ArrayList<>(period.rows());
      rows.sort(Comparator.comparingInt(r -> order.indexOf(key(r))));
      List<SvgBars.Segment> segments = new ArrayList<>();
      for (UsageReport.Row row : rows) {
        Counts c = row.counts();
        String cost = ReportText.cost(c);
        String tokens = Format.tokens(c.totalTokens()) + " tokens";
        segments.add(unit == BudgetUnit.USD
            ? new SvgBars.Segment(key(row), c.costNanoUsd(), costExact(row), cost + " (" + tokens + ")")
            : new SvgBars.Segment(key(row), c.totalTokens(), Long.toString(c.totalTokens()), tokens + ", " + cost));
      }
      Long line = budget.unit() == unit ? budgetLine(report, budget, period) : null;
      String lineText = line == null ? null : (period.limit() != null ? "budget limit " : "budget's share ")
          + budget.unit().format(line) + (period.limit() != null ? ""
              : " (" + budget.unit().format(budget.limit()) + " per " + budget.period().label() + " period)");
      columns.add(new SvgBars.Column(period.start().toString(),
          Format.periodLabel(report.request().granularity(), period.start()), segments, line,
          line == null ? null : limitExact(budget.unit(), line), lineText));
    }
    return columns;
  }

  /**
   * The budget's line for {@code period}, in the budget's unit: the report's limit where the period
   * is whole budget periods; for a shorter period inside one budget period (a day of a monthly
   * budget), the limit's share by days; {@code null} otherwise (another zone, a period across two).
   */
  static Long budgetLine(UsageReport report, TokenBudget budget, UsageReport.Period period) {
    if (period.limit() != null) {
      return period.limit();
    }
    ZoneId zone = report.request().zone();
    if (!zone.equals(budget.zone())) {
      return null;
    }
    ZonedDateTime budgetStart = budget.period().startOf(period.start().atStartOfDay(zone).toInstant(), zone);
    LocalDate budgetEnd = budget.period().endOf(budgetStart).toLocalDate();
    if (period.end().isAfter(budgetEnd)) {
      return null;
    }
    long days = ChronoUnit.DAYS.between(period.start(), period.end());
    long budgetDays = ChronoUnit.DAYS.between(budgetStart.toLocalDate(), budgetEnd);
    return BigInteger.valueOf(budget.limit()).multiply(BigInteger.valueOf(days))
        .divide(BigInteger.valueOf(budgetDays)).longValueExact();
  }

  /** A colour per group, the groups with the most tokens over the whole report first. */
  static Map<String, String> colours(UsageReport report) {
    Map<String, Long> tokens = new TreeMap<>();
    for (UsageReport.Period period : report.periods()) {
      for (UsageReport.Row row : period.rows()) {
        tokens.merge(key(row), row.counts().totalTokens(), Long::sum);
      }
    }
    List<Map.Entry<String, Long>> ranked = new ArrayList<>(tokens.entrySet());
    ranked.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    Map<String, String> colours = new LinkedHashMap<>();
    for (Map.Entry<String, Long> entry : ranked) {
      int i = colours.size();
      colours.put(entry.getKey(), i < PALETTE.length ? PALETTE[i]
          : String.format(Locale.ROOT, "hsl(%d,55%%,55%%)", Math.round((i * 137.508) % 360)));
    }
    return colours;
  }

  /** The group as the text report names it: events without the dimension are "(none)". */
  static String key(UsageReport.Row row) {
    return row.key() == null ? "(none)" : row.key();
  }

  /** The row's cost as {@code --json}'s {@code costUsd}; empty where none of its events has a price. */
  static String costExact(UsageReport.Row row) {
    return row.unpriced() ? "" : CostUsd.of(row.counts().costNanoUsd()).toPlainString();
  }

  /** A limit as {@code --json} writes it: tokens, or a decimal number of dollars. */
  static String limitExact(BudgetUnit unit, long limit) {
    return unit == BudgetUnit.USD ? CostUsd.of(limit).toPlainString() : Long.toString(limit);
  }

  private static String axisTokens(long tokens) {
    return tokens < 1_000 ? Long.toString(tokens) : Format.compactTokens(tokens).replace(" tokens", "");
  }

  private static String description(UsageReport report, TokenBudget budget) {
    UsageReport.Request request = report.request();
    return "Budget '" + budget.name() + "' (" + budget.period().label() + ", " + budget.zone().getId() + "), limit "
        + budget.unit().format(budget.limit()) + " per " + budget.period().label() + " period. Periods cut in "
        + request.zone().getId() + (request.since() == null ? "" : ", from " + request.since())
        + (request.until() == null ? "" : ", to " + request.until() + " inclusive") + ".";
  }

  private static List<String> notes(UsageReport report, String scopeHeader) {
    UsageReport.Request request = report.request();
    List<String> notes = new ArrayList<>();
    if (!scopeHeader.isBlank()) {
      notes.add(scopeHeader.strip());
    }
    if (!request.filter().isAny()) {
      notes.add("Only " + request.filter());
    }
    if (report.repricedWith() != null) {
      notes.add("Repriced: every event priced again with today's prices (" + report.repricedWith().description()
          + "), not the costs stored when it was recorded; the ledger is unchanged.");
    }
    if (report.reachesBeforeRetained()) {
      notes.add("Usage before " + Format.time(report.retainedFrom().atZone(request.zone()))
          + " was dropped by the store's retention; the figures start there.");
    }
    return notes;
  }
}
