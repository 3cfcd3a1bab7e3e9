package dev.tokenwatch.app;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.ingest.UsageReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code tokenwatch report} as a table: a block of rows per period, its total with the share, a grand total. */
final class ReportText {

  private static final String[] HEADINGS = {"Input", "Output", "Cache creation", "Cache read", "Total", "Calls",
      "Cost (USD)"};
  /** The cost of a row none of whose events has a price: unknown, not $0.00. */
  static final String NO_COST = "—";
  /** Marks the cost of a row only some of whose events have a price. */
  static final String PART_PRICED = "*";

  private ReportText() {}

  static String text(UsageReport report, TokenBudget budget) {
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
    List<String[]> rows = new ArrayList<>();
    rows.add(cells("Period", heading(request.by()), HEADINGS, "Share of limit"));
    for (UsageReport.Period period : report.periods()) {
      String label = Format.periodLabel(request.granularity(), period.start());
      for (UsageReport.Row row : period.rows()) {
        rows.add(cells(label, row, ""));
        label = "";
        for (UsageReport.Row model : row.models()) { // --breakdown: its models, indented
          rows.add(cells("", new UsageReport.Row("  " + model.key(), model.counts()), ""));
        }
      }
      rows.add(cells(label, period.total(), period.limit() == null ? ""
          : Format.percent(period.shareOfLimit()) + " of " + limit(report.unit(), period.limit())));
    }
    rows.add(cells("All periods", report.total(), ""));
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      if (r == rows.size() - 1) {
        text.append('\n'); // the grand total stands apart
      }
      text.append(line(rows.get(r), widths));
    }
    return text.append(unpricedNote(report.total().counts())).toString();
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
  static String cost(Counts counts) {
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

  private static String line(String[] row, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        line.append("  ");
      }
      boolean textColumn = i < 2 || i == row.length - 1;
      String format = "%" + (textColumn ? "-" : "") + widths[i] + "s";
      line.append(String.format(Locale.ROOT, format, row[i]));
    }
    return line.toString().stripTrailing() + "\n";
  }

  private static String[] cells(String period, String model, String[] numbers, String share) {
    String[] cells = new String[numbers.length + 3];
    cells[0] = period;
    cells[1] = model;
    System.arraycopy(numbers, 0, cells, 2, numbers.length);
    cells[cells.length - 1] = share;
    return cells;
  }

  private static String[] cells(String period, UsageReport.Row row, String share) {
    Counts c = row.counts();
    return cells(period, row.key() == null ? "(none)" : row.key(), new String[] {Format.tokens(c.inputTokens()),
        Format.tokens(c.outputTokens()), Format.tokens(c.cacheCreationTokens()),
        Format.tokens(c.cacheReadTokens()), Format.tokens(c.totalTokens()), Format.tokens(c.calls()), cost(c)},
        share);
  }

  private static String unit(BudgetPeriod period) {
    return switch (period) {
      case DAILY -> "day";
      case WEEKLY -> "week";
      case MONTHLY -> "month";
    };
  }
}
