package dev.tokenwatch.app;

import dev.tokenwatch.app.logging.Redaction;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.ingest.UsageReport;
import java.io.PrintStream;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code tokenwatch report}: usage per period and model (or project, session, tag). */
@Command(name = "report", description = {
    "Shows usage per day, week or month and model (or project, session, tag value): input, output,",
    "cache creation, cache read, total tokens and calls, a total per period with its share of the",
    "budget limit, and a grand total. Exact from the ledger, whatever the budget's period."})
final class ReportCommand implements Callable<Integer> {

  private static final String[] HEADINGS = {"Input", "Output", "Cache creation", "Cache read", "Total", "Calls"};

  private final CliContext context;

  @Parameters(index = "0", paramLabel = "daily|weekly|monthly", converter = GranularityConverter.class,
      description = "Length of the report's periods.")
  BudgetPeriod granularity;

  @Option(names = "--since", paramLabel = "DATE", converter = DateConverter.class,
      description = "First day, e.g. 2026-11-01, in the report's zone (default: all recorded usage).")
  LocalDate since;

  @Option(names = "--until", paramLabel = "DATE", converter = DateConverter.class,
      description = "Last day, inclusive, in the report's zone (default: no end).")
  LocalDate until;

  @Option(names = "--timezone", paramLabel = "ZONE", converter = ZoneConverter.class,
      description = "Zone the days and periods are cut in, e.g. Europe/Berlin (default: the budget's).")
  ZoneId zone;

  @Option(names = "--by", paramLabel = "DIMENSION", converter = DimensionConverter.class,
      description = "Rows per model (default), project, session or tag:KEY.")
  Dimension by = Dimension.MODEL;

  @Option(names = "--model", paramLabel = "GLOB",
      description = "Only these models: a name or a pattern with * and ?, e.g. 'claude-opus-*' (repeatable).")
  List<String> models = new ArrayList<>();

  @Option(names = "--project", paramLabel = "PROJECT", description = "Only this project.")
  String project;

  @Option(names = "--session", paramLabel = "SESSION", description = "Only this session.")
  String session;

  @Option(names = "--tag", paramLabel = "KEY=VALUE",
      description = "Only events with this tag (repeatable: all must match).")
  List<String> tags = new ArrayList<>();

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "One JSON document (documented in the README).")
  boolean json;

  @Option(names = "--budget", paramLabel = "NAME", description = "Only this budget's scope; shows its limit.")
  String budget;

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
    UsageFilter filter;
    try {
      filter = UsageFilter.ANY.withModels(models).withProject(project).withSession(session);
      for (Map.Entry<String, String> tag : DimensionOptions.parseTags(tags, spec.commandLine()).entrySet()) {
        filter = filter.withTag(tag.getKey(), tag.getValue());
      }
    } catch (IllegalArgumentException e) {
      context.err().println("tokenwatch: " + Redaction.redact(e.getMessage().replace("model pattern", "--model")));
      return ExitCodes.USAGE;
    }
    BudgetReportScope scope = BudgetReportScope.of(context.config(), budget, filter, spec.commandLine());
    filter = scope.filter();
    ZoneId reportZone = zone != null ? zone : tracker.getBudget().zone();
    UsageReport report = UsageReport.of(tracker,
        new UsageReport.Request(granularity, reportZone, since, until, by, filter));
    PrintStream out = context.out();
    if (json) {
      out.println(report.toJson());
    } else {
      out.print(scope.header() + text(report, tracker.getBudget()));
    }
    return ExitCodes.OK;
  }

  /** The report as a table: a block of rows per period, its total with the share, a grand total. */
  static String text(UsageReport report, TokenBudget budget) {
    UsageReport.Request request = report.request();
    StringBuilder text = new StringBuilder();
    text.append("Budget '").append(budget.name()).append("' (").append(budget.period().label()).append(", ")
        .append(budget.zone().getId()).append("), limit ").append(Format.tokens(budget.limit()))
        .append(" tokens per ").append(unit(budget.period())).append(": ")
        .append(request.granularity().label()).append(" report by ").append(request.by().label())
        .append(range(request)).append("\n");
    if (!request.filter().isAny()) {
      text.append("Only ").append(request.filter()).append("\n");
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
      String label = label(request.granularity(), period);
      for (UsageReport.Row row : period.rows()) {
        rows.add(cells(label, row, ""));
        label = "";
      }
      rows.add(cells(label, period.total(), period.limit() == null ? ""
          : Format.percent(period.shareOfLimit()) + " of " + Format.tokens(period.limit())));
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

  private static String range(UsageReport.Request request) {
    if (request.since() == null && request.until() == null) {
      return " (" + request.zone().getId() + ")";
    }
    return ", " + (request.since() == null ? "the beginning" : request.since().toString()) + " to "
        + (request.until() == null ? "now" : request.until().toString()) + " (" + request.zone().getId() + ")";
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
        Format.tokens(c.cacheReadTokens()), Format.tokens(c.totalTokens()), Format.tokens(c.calls())}, share);
  }

  /** "2026-11-16", "2026-11-16 to 2026-11-22" or "2026-11". */
  static String label(BudgetPeriod granularity, UsageReport.Period period) {
    return Format.periodLabel(granularity, period.start());
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

  /** A zone id such as UTC or Europe/Berlin. */
  static final class ZoneConverter implements ITypeConverter<ZoneId> {
    @Override
    public ZoneId convert(String text) {
      try {
        return ZoneId.of(text.trim());
      } catch (DateTimeException e) {
        throw new TypeConversionException("must be a time zone such as UTC or Europe/Berlin, got \"" + text + "\"");
      }
    }
  }

  /** model, project, session or tag:KEY. */
  static final class DimensionConverter implements ITypeConverter<Dimension> {
    @Override
    public Dimension convert(String text) {
      try {
        return Dimension.parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage().replace("grouping must be", "must be"));
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
