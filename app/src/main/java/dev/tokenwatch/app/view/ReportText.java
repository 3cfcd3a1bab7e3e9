package dev.tokenwatch.app.view;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.ingest.UsageReport;
import java.util.List;

/** {@code tokenwatch report} as a table: a block of rows per period, its total with the share, a grand total. */
public final class ReportText {

  /** The cost of a row none of whose events has a price: unknown, not $0.00. */
  public static final String NO_COST = "—";
  /** Marks the cost of a row only some of whose events have a price. */
  static final String PART_PRICED = "*";

  private ReportText() {}

  /**
   * The report within {@code terminal}'s width ({@code wide}: every column, exact numbers); a daily
   * report has its chart above the table.
   */
  public static String text(UsageReport report, TokenBudget budget, Terminal terminal, boolean wide) {
    UsageReport.Request request = report.request();
    StringBuilder text = new StringBuilder();
    text.append("Budget '").append(budget.name()).append("' (").append(budget.period().label()).append(", ")
        .append(budget.zone().getId()).append("), limit ").append(budget.unit().format(budget.limit()))
        .append(" per ").append(unit(budget.period())).append(": ")
        .append(request.granularity().label()).append(" report by ").append(request.by().label())
        .append(range(request)).append("\n");
    if (!request.filter().isAny()) {
      text.append("Only ").append(request.filter()).append("\n");
    }
    if (report.repricedWith() != null) {
      text.append("Repriced: every event priced again with today's prices (")
          .append(report.repricedWith().description())
          .append("), not the costs stored when it was recorded; the ledger is unchanged.\n");
    }
    if (report.reachesBeforeRetained()) {
      text.append("Note: usage before ").append(Format.time(report.retainedFrom().atZone(request.zone())))
          .append(" was dropped by the store's retention; the figures start there.\n");
    }
    text.append('\n');
    if (report.periods().isEmpty()) {
      return text.append("No usage recorded in this range.\n").toString();
    }
    TextTable table = new TextTable(columns(heading(request.by())), 1);
    for (UsageReport.Period period : report.periods()) {
      String label = Format.periodLabel(request.granularity(), period.start());
      for (UsageReport.Row row : period.rows()) {
        table.row(cells(label, row, TextTable.Cell.of("")));
        label = "";
        for (UsageReport.Row model : row.models()) { // --breakdown: its models, indented
          table.row(cells("", new UsageReport.Row("  " + model.key(), model.counts()), TextTable.Cell.of("")));
        }
      }
      table.row(cells(label, period.total(), period.limit() == null ? TextTable.Cell.of("")
          : new TextTable.Cell(Format.percent(period.shareOfLimit()) + " of " + limit(report.unit(), period.limit()),
              Format.percent(period.shareOfLimit()) + " of " + compactLimit(report.unit(), period.limit()))));
    }
    table.row(true, cells("All periods", report.total(), TextTable.Cell.of(""))); // the grand total stands apart
    if (request.granularity() == BudgetPeriod.DAILY) {
      text.append(DailyChart.draw(report, budget, terminal)).append('\n');
    }
    text.append(table.render(terminal.width(), wide));
    return text.append(unpricedNote(report.total().counts())).toString();
  }

  /**
   * The columns, in the order they are left out of a narrow table: cache creation, cache read,
   * input, output, calls, the share of the limit; period, group, total and cost always stay.
   */
  private static List<TextTable.Column> columns(String group) {
    return List.of(
      new TextTable.Column("Period", false, TextTable.KEEP), new TextTable.Column(group, false, TextTable.KEEP),
      new TextTable.Column("Input", true, 4), new TextTable.Column("Output", true, 3),
      new TextTable.Column("Cache creation", true, 6), new TextTable.Column("Cache read", true, 5),
      new TextTable.Column("Total", true, TextTable.KEEP), new TextTable.Column("Calls", true, 2),
      new TextTable.Column("Cost (USD)", true, TextTable.KEEP), new TextTable.Column("Share of limit", false, 1));
  }

  /** The line under a table whose total has events without a price, else "". */
  static String unpricedNote(Counts all) {
    if (all.unpricedCalls() <= 0) {
      return "";
    }
    return "\n" + PART_PRICED + " cost of the priced events only; " + NO_COST + " no event has a price. "
        + Format.tokens(all.unpricedCalls()) + " events (" + Format.tokens(all.unpricedTokens()) + " tokens) have no "
        + "price: 'tokenwatch doctor' lists their models; give them prices under prices: in the configuration, or "
        + "run 'tokenwatch prices --update FILE'.\n";
  }

  /** "$1.24", "$0.0042", "$1.24*" (some events unpriced) or "—" (none priced). */
  public static String cost(Counts counts) {
    if (UsageReport.unpriced(counts)) {
      return NO_COST;
    }
    return BudgetUnit.formatUsd(counts.costNanoUsd()) + (counts.unpricedCalls() > 0 ? PART_PRICED : "");
  }

  private static String limit(BudgetUnit unit, long limit) {
    return unit == BudgetUnit.USD ? BudgetUnit.formatUsd(limit) : Format.tokens(limit);
  }

  private static String range(UsageReport.Request request) {
    return range(request.since(), request.until(), request.zone());
  }

  /** " (UTC)" for all recorded usage, else ", 2026-11-01 to now (UTC)". */
  static String range(java.time.LocalDate since, java.time.LocalDate until, java.time.ZoneId zone) {
    if (since == null && until == null) {
      return " (" + zone.getId() + ")";
    }
    return ", " + (since == null ? "the beginning" : since.toString()) + " to "
        + (until == null ? "now" : until.toString()) + " (" + zone.getId() + ")";
  }

  private static String heading(Dimension by) {
    return switch (by.kind()) {
      case MODEL -> "Model";
      case PROJECT -> "Project";
      case SESSION -> "Session";
      case TAG -> "Tag " + by.tagKey();
    };
  }

  private static TextTable.Cell[] cells(String period, UsageReport.Row row, TextTable.Cell share) {
    Counts c = row.counts();
    return new TextTable.Cell[] {TextTable.Cell.of(period), TextTable.Cell.of(row.key() == null ? "(none)" : row.key()),
        tokens(c.inputTokens()), tokens(c.outputTokens()), tokens(c.cacheCreationTokens()), tokens(c.cacheReadTokens()),
        tokens(c.totalTokens()), tokens(c.calls()), TextTable.Cell.of(cost(c)), share};
  }

  /** A count: exact ("48,012,345") in a wide table, compact ("48.0M") in a narrow one. */
  static TextTable.Cell tokens(long value) {
    return new TextTable.Cell(Format.tokens(value), compact(value));
  }

  /** "48.0M", "1.2k", "900": {@link Format#compactTokens} without the word. */
  static String compact(long value) {
    return Format.compactTokens(value).replace(" tokens", "").replace(" ", "");
  }

  private static String compactLimit(BudgetUnit unit, long limit) {
    return unit == BudgetUnit.USD ? BudgetUnit.formatUsd(limit) : compact(limit);
  }

  private static String unit(BudgetPeriod period) {
    return switch (period) {
      case DAILY -> "day";
      case WEEKLY -> "week";
      case MONTHLY -> "month";
    };
  }
}
