package dev.tokenwatch.app.view;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.ingest.UsageReport;

/**
 * The table of {@code report --html}: the rows of the text report (a row per period and group, the
 * period's total with its share of the limit, the grand total) with the same figures as shown text,
 * and each figure's exact value as {@code --json} writes it in {@code data-value}.
 */
final class HtmlTable {

  private static final String[] COUNT_HEADINGS = {"Input", "Output", "Cache creation", "Cache read", "Total",
      "Calls"};
  /** The {@code data-field} of each count column: the JSON report's field names. */
  private static final String[] COUNT_FIELDS = {"inputTokens", "outputTokens", "cacheCreationTokens",
      "cacheReadTokens", "totalTokens", "calls"};

  private HtmlTable() {}

  static String table(UsageReport report) {
    UsageReport.Request request = report.request();
    StringBuilder s = new StringBuilder();
    s.append("<table class=\"report\">\n<thead><tr><th>Period</th><th>").append(Html.escape(heading(request.by())))
        .append("</th>");
    for (String heading : COUNT_HEADINGS) {
      s.append("<th class=\"num\">").append(heading).append("</th>");
    }
    s.append("<th class=\"num\">Cost (USD)</th><th>Share of limit</th></tr></thead>\n<tbody>\n");
    for (UsageReport.Period period : report.periods()) {
      String label = Format.periodLabel(request.granularity(), period.start());
      for (UsageReport.Row row : period.rows()) {
        row(s, "row", period.start().toString(), label, HtmlReport.key(row), row, "");
        label = "";
      }
      String share = period.limit() == null ? "" : Format.percent(period.shareOfLimit()) + " of "
          + (report.unit() == BudgetUnit.USD ? BudgetUnit.formatUsd(period.limit()) : Format.tokens(period.limit()));
      row(s, "period-total", period.start().toString(), label, UsageReport.TOTAL, period.total(), share);
    }
    s.append("</tbody>\n<tfoot>\n");
    row(s, "grand-total", "", "All periods", UsageReport.TOTAL, report.total(), "");
    s.append("</tfoot>\n</table>\n");
    Counts all = report.total().counts();
    if (all.unpricedCalls() > 0) {
      s.append("<p class=\"note\">").append(Html.escape(ReportText.PART_PRICED + " cost of the priced events only; "
          + ReportText.NO_COST + " no event has a price. " + Format.tokens(all.unpricedCalls()) + " events ("
          + Format.tokens(all.unpricedTokens()) + " tokens) have no price: 'tokenwatch doctor' lists their models."))
          .append("</p>\n");
    }
    return s.toString();
  }

  private static void row(StringBuilder s, String kind, String period, String label, String key, UsageReport.Row row,
      String share) {
    Counts c = row.counts();
    long[] counts = {c.inputTokens(), c.outputTokens(), c.cacheCreationTokens(), c.cacheReadTokens(),
        c.totalTokens(), c.calls()};
    s.append("<tr class=\"").append(kind).append('"');
    if (!period.isEmpty()) {
      s.append(" data-period=\"").append(Html.escape(period)).append('"');
    }
    s.append(" data-key=\"").append(Html.escape(key)).append("\"><td>").append(Html.escape(label))
        .append("</td><td class=\"key\">").append(Html.escape(key)).append("</td>");
    for (int i = 0; i < counts.length; i++) {
      s.append("<td class=\"num\" data-field=\"").append(COUNT_FIELDS[i]).append("\" data-value=\"")
          .append(counts[i]).append("\">").append(Format.tokens(counts[i])).append("</td>");
    }
    s.append("<td class=\"num\" data-field=\"costUsd\" data-value=\"").append(HtmlReport.costExact(row)).append("\">")
        .append(Html.escape(ReportText.cost(c))).append("</td><td>").append(Html.escape(share)).append("</td></tr>\n");
  }

  /** The column heading of the report's dimension, as in the text report. */
  private static String heading(Dimension by) {
    return switch (by.kind()) {
      case MODEL -> "Model";
      case PROJECT -> "Project";
      case SESSION -> "Session";
      case TAG -> "Tag " + by.tagKey();
    };
  }
}
