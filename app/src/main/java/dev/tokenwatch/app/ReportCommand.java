package dev.tokenwatch.app;

import dev.tokenwatch.app.logging.Redaction;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
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
    "cache creation, cache read, total tokens, calls and cost, a total per period with its share of",
    "the budget limit, and a grand total. Exact from the ledger, whatever the budget's period; the",
    "cost is the one stored with each event when it was recorded (--reprice: today's prices)."})
final class ReportCommand implements Callable<Integer> {

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

  @Option(names = "--html", paramLabel = "FILE", description = "Write the report as one self-contained HTML page "
      + "(stacked bars per period, cost or tokens, the budget's line, the table) to FILE, or - for stdout.")
  String html;

  @Option(names = "--budget", paramLabel = "NAME", description = "Only this budget's scope; shows its limit.")
  String budget;

  @Option(names = "--reprice", description = "Price every event again with today's prices (the built-in "
      + "table or prices --update's, with the configuration's prices:), for this report only; reads every event.")
  boolean reprice;

  ReportCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    if (json && "-".equals(html)) {
      context.err().println("tokenwatch: --json and --html - both write to stdout: give --html a FILE");
      return ExitCodes.USAGE;
    }
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
    // the budget named by --budget, else the first: its zone, limit and unit
    TokenBudget reportBudget = scope.budget() != null ? scope.budget() : tracker.getBudget();
    ZoneId reportZone = zone != null ? zone : reportBudget.zone();
    UsageReport.Request request = new UsageReport.Request(granularity, reportZone, since, until, by, filter);
    UsageReport report = reprice
        ? UsageReport.repriced(tracker, reportBudget, context.application().store(), request,
            EffectivePrices.of(context.application().config()))
        : UsageReport.of(tracker, reportBudget, request);
    PrintStream out = context.out();
    if (html != null) {
      String page = HtmlReport.page(report, reportBudget, scope.header());
      if (html.equals("-")) {
        out.print(page);
      } else if (!HtmlFile.write(context, html, page)) {
        return ExitCodes.USAGE;
      }
    }
    if (json) {
      out.println(report.toJson());
    } else if (html == null) {
      out.print(scope.header() + ReportText.text(report, reportBudget));
    }
    return ExitCodes.OK;
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
