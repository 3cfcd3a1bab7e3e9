package dev.tokenwatch.app.view;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.ingest.UsageReport;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The picture above {@code report daily}'s table: a bar per day from the first day with usage to the
 * last (a day without usage has an empty bar), in the budget's unit (tokens, or cost for a USD
 * budget), with the budget's share of the day ({@link HtmlReport#budgetLine}: the limit spread over
 * its period's days) as a mark, then the day's tokens and cost. Block characters with eighths on a
 * UTF-8 terminal, {@code #} and {@code |} otherwise; within the terminal's width.
 */
final class DailyChart {

  static final int MIN_BAR = 5;
  static final int MAX_BAR = 60;
  /** The bar's width where lines have no limit (piped). */
  static final int PIPED_BAR = 40;
  private static final String EIGHTHS = "▏▎▍▌▋▊▉";

  private record Day(String label, long value, Long share, String tokens, String cost) {}

  private DailyChart() {}

  static String draw(UsageReport report, TokenBudget budget, Terminal terminal) {
    List<Day> days = days(report, budget);
    int tokensWidth = days.stream().mapToInt(d -> d.tokens().length()).max().orElse(0);
    int costWidth = days.stream().mapToInt(d -> d.cost().length()).max().orElse(0);
    int fixed = 10 + 2 + 2 + tokensWidth + 2 + costWidth;
    int bar = terminal.width() == Terminal.UNLIMITED ? PIPED_BAR
        : Math.max(MIN_BAR, Math.min(MAX_BAR, terminal.width() - fixed));
    long scale = 0;
    for (Day day : days) {
      scale = Math.max(scale, Math.max(day.value(), day.share() == null ? 0 : day.share()));
    }
    StringBuilder s = new StringBuilder();
    for (Day day : days) {
      String line = day.label() + "  " + bar(day, scale, bar, terminal.unicode()) + "  " + pad(day.tokens(), tokensWidth)
          + "  " + pad(day.cost(), costWidth);
      s.append(line.stripTrailing()).append('\n');
    }
    return s.append(legend(days, budget, terminal)).toString();
  }

  private static List<Day> days(UsageReport report, TokenBudget budget) {
    List<Day> days = new ArrayList<>();
    LocalDate next = null;
    for (UsageReport.Period period : report.periods()) {
      for (LocalDate gap = next; gap != null && gap.isBefore(period.start()); gap = gap.plusDays(1)) {
        UsageReport.Period empty = new UsageReport.Period(gap, gap.plusDays(1), List.of(),
            new UsageReport.Row(UsageReport.TOTAL, Counts.ZERO), null, null);
        days.add(day(report, budget, empty));
      }
      days.add(day(report, budget, period));
      next = period.end();
    }
    return days;
  }

  private static Day day(UsageReport report, TokenBudget budget, UsageReport.Period period) {
    Counts counts = period.total().counts();
    return new Day(period.start().toString(), budget.measure(counts), HtmlReport.budgetLine(report, budget, period),
        ReportText.compact(counts.totalTokens()), counts.calls() == 0 ? "" : ReportText.cost(counts));
  }

  /** {@code width} cells: the day's value against {@code scale}, the share's mark where it falls. */
  private static String bar(Day day, long scale, int width, boolean unicode) {
    char[] cells = new char[width];
    java.util.Arrays.fill(cells, ' ');
    if (scale > 0 && day.value() > 0) {
      long eighths = Math.max(1, Math.round((double) day.value() / scale * width * 8));
      int full = (int) (eighths / 8);
      for (int i = 0; i < full && i < width; i++) {
        cells[i] = unicode ? '█' : '#';
      }
      int rest = (int) (eighths % 8);
      if (full < width && rest > 0) {
        cells[full] = unicode ? EIGHTHS.charAt(rest - 1) : rest >= 4 || full == 0 ? '#' : ' ';
      }
    }
    if (scale > 0 && day.share() != null) {
      int at = (int) Math.min(width - 1, Math.floor((double) day.share() / scale * width));
      cells[at] = unicode ? '│' : '|';
    }
    return new String(cells);
  }

  /** What the mark means, and how much it is; "" where no day has one. */
  private static String legend(List<Day> days, TokenBudget budget, Terminal terminal) {
    long low = Long.MAX_VALUE;
    long high = Long.MIN_VALUE;
    for (Day day : days) {
      if (day.share() != null) {
        low = Math.min(low, day.share());
        high = Math.max(high, day.share());
      }
    }
    if (low == Long.MAX_VALUE) {
      return "";
    }
    BudgetUnit unit = budget.unit();
    String mark = terminal.unicode() ? "│" : "|";
    String amount = low == high ? unit.format(low) : unit.format(low) + " to " + unit.format(high);
    String legend = mark + " budget '" + budget.name() + "' per day: " + amount + " (its " + budget.period().label()
        + " limit of " + unit.format(budget.limit()) + " spread over the period's days)";
    return (legend.length() <= terminal.width() ? legend : mark + " budget per day: " + amount) + "\n";
  }

  private static String pad(String text, int width) {
    return " ".repeat(width - text.length()) + text;
  }
}
