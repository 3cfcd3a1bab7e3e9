package dev.tokenwatch.app;

import dev.tokenwatch.app.logging.Redaction;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.ingest.UsageReport;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code tokenwatch report}: usage per period and model. */
@Command(name = "report", description = {
    "Shows usage per day, week or month and model: input, output, cache creation, cache read,",
    "total tokens and calls, a total per period with its share of the budget limit, and a",
    "grand total. Reports can be as fine as the budget period (a daily budget allows all three)."})
final class ReportCommand implements Callable<Integer> {

  private static final String[] HEADINGS = {"Input", "Output", "Cache creation", "Cache read", "Total", "Calls"};

  private final CliContext context;

  @Parameters(index = "0", paramLabel = "daily|weekly|monthly", converter = GranularityConverter.class,
      description = "Length of the report's periods.")
  BudgetPeriod granularity;

  @Option(names = "--since", paramLabel = "DATE", converter = DateConverter.class,
      description = "First day, e.g. 2026-11-01 (in the budget's zone; default: all recorded usage).")
  LocalDate since;

  @Option(names = "--until", paramLabel = "DATE", converter = DateConverter.class,
      description = "Last day, inclusive (default: the end of the current period).")
  LocalDate until;

  @Option(names = "--model", paramLabel = "MODEL", description = "Only this model (exact name).")
  String model;

  @Option(names = "--json", description = "One JSON document (documented in the README).")
  boolean json;

  ReportCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    if (since != null && until != null && until.isBefore(since)) {
      context.err().println("tokenwatch: --until (" + until + ") must not be before --since (" + since + ")");
      return ExitCodes.USAGE;
    }
    TokenTracker tracker = context.application().tracker();
    UsageReport report;
    try {
      report = UsageReport.of(tracker, granularity, since, until, model);
    } catch (IllegalArgumentException e) {
      // The engine explains why (a granularity the stored totals cannot give, or until before
      // since); the reason is the whole message, not buried under the usage help.
      context.err().println("tokenwatch: cannot report: " + Redaction.redact(e.getMessage()));
      return ExitCodes.USAGE;
    }
    PrintStream out = context.out();
    if (json) {
      out.println(report.toJson());
    } else {
      out.print(text(report, tracker.getBudget()));
    }
    return ExitCodes.OK;
  }

  /** The report as a table: a block of rows per period, its total with the share, a grand total. */
  static String text(UsageReport report, TokenBudget budget) {
    StringBuilder text = new StringBuilder();
    text.append("Budget '").append(budget.name()).append("' (").append(budget.period().label()).append(", ")
        .append(budget.zone().getId()).append("), limit ").append(Format.tokens(budget.limit()))
        .append(" tokens per ").append(unit(budget.period())).append(": ")
        .append(report.granularity().label()).append(" report\n\n");
    if (report.periods().isEmpty()) {
      return text.append("No usage recorded in this range.\n").toString();
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(cells("Period", "Model", HEADINGS, "Share of limit"));
    for (UsageReport.Period period : report.periods()) {
      String label = label(report.granularity(), period);
      for (UsageReport.Row row : period.models()) {
        rows.add(cells(label, row, ""));
        label = "";
      }
      rows.add(cells(label, period.total(),
          Format.percent(period.shareOfLimit()) + " of " + Format.tokens(period.limit())));
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
    return text.toString();
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
    return cells(period, row.model(), new String[] {Format.tokens(row.inputTokens()),
        Format.tokens(row.outputTokens()), Format.tokens(row.cacheCreationTokens()),
        Format.tokens(row.cacheReadTokens()), Format.tokens(row.totalTokens()), Format.tokens(row.calls())}, share);
  }

  /** "2026-11-16", "2026-11-16 to 2026-11-22" or "2026-11". */
  static String label(BudgetPeriod granularity, UsageReport.Period period) {
    return switch (granularity) {
      case DAILY -> period.start().toString();
      case WEEKLY -> period.start() + " to " + period.end().minusDays(1);
      case MONTHLY -> period.start().toString().substring(0, 7);
    };
  }

  private static String unit(BudgetPeriod period) {
    return switch (period) {
      case DAILY -> "day";
      case WEEKLY -> "week";
      case MONTHLY -> "month";
    };
  }

  /** "daily", "weekly" or "monthly", with the domain's message for anything else. */
  static final class GranularityConverter implements ITypeConverter<BudgetPeriod> {
    @Override
    public BudgetPeriod convert(String text) {
      try {
        return BudgetPeriod.parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage().replace("period must be", "must be"));
      }
    }
  }

  /** An ISO-8601 day such as 2026-11-01. */
  static final class DateConverter implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String text) {
      try {
        return LocalDate.parse(text.trim());
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("must be a day such as 2026-11-01, got \"" + text + "\"");
      }
    }
  }
}
