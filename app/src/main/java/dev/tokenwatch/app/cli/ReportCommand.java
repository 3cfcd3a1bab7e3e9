package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.logging.Redaction;
import dev.tokenwatch.app.view.HtmlReport;
import dev.tokenwatch.app.view.ReportCsv;
import dev.tokenwatch.app.view.ReportText;
import dev.tokenwatch.app.view.SessionReport;
import dev.tokenwatch.app.view.SessionReportJson;
import dev.tokenwatch.app.view.SessionReportText;
import dev.tokenwatch.app.view.Terminal;
import dev.tokenwatch.app.wiring.EffectivePrices;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.ingest.UsageReport;
import java.io.PrintStream;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code tokenwatch report}: usage per period and model (or project, session, tag), or per session or project. */
@Command(name = "report", description = {
    "Shows tokens and cost per day, week, month, session or project.",
    "Shows usage per day, week or month and model (or project, session, tag",
    "value): input, output, cache creation, cache read, total tokens, calls and",
    "cost, a total per period with its share of the budget limit, and a grand",
    "total; or per session or project, newest activity first. Exact from the",
    "ledger, whatever the budget's period; the cost is the one stored with each",
    "event when it was recorded (--reprice: today's prices). First reads what",
    "the usage sources appended since the last run (--no-ingest: not)."})
final class ReportCommand implements Callable<Integer> {

  private final CliContext context;

  @Parameters(index = "0", paramLabel = "daily|weekly|monthly|session|project", converter = ReportView.Converter.class,
      description = "Usage per day, week or month; or per session or project over the range.")
  ReportView view;

  @Option(names = "--since", paramLabel = "DATE", converter = RelativeDates.Converter.class,
      description = "First day in the report's zone: 2026-11-01, 20261101, or the first day of 7d, today, "
          + "yesterday, this-week, last-week, this-month, last-month (default: all recorded usage).")
  RelativeDates.DateArg since;

  @Option(names = "--until", paramLabel = "DATE", converter = RelativeDates.Converter.class,
      description = "Last day, inclusive, in the same forms (last-month: its last day; default: no end).")
  RelativeDates.DateArg until;

  @Option(names = "--breakdown", description = "A row per model under each row (each project, session, tag value).")
  boolean breakdown;

  @Mixin
  ImplicitIngest ingest;

  @Option(names = "--timezone", paramLabel = "ZONE", converter = ZoneConverter.class,
      description = "Zone the days and periods are cut in, e.g. Europe/Berlin (default: the budget's).")
  ZoneId zone;

  @Option(names = "--by", paramLabel = "DIMENSION", converter = DimensionConverter.class,
      description = "Rows of a daily, weekly or monthly report per model (default), project, session or tag:KEY.")
  Dimension by;

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

  @Option(names = "--csv", description = "CSV (RFC 4180): a header row, then a row per group and period "
      + "(session, project), raw numbers; the columns are --json's field names (documented in the README).")
  boolean csv;

  @Option(names = "--wide", description = "Every column with exact numbers, however wide the terminal "
      + "(default: the table fits COLUMNS or the terminal; narrow ones drop the cache, input, output and calls "
      + "columns first and show 48.0M for 48,012,345).")
  boolean wide;

  @Option(names = "--ascii", description = "Draw report daily's bars with # and | (default: block characters "
      + "where LC_ALL, LC_CTYPE or LANG names UTF-8).")
  boolean ascii;

  @Option(names = "--html", paramLabel = "FILE", description = "Write the report as one self-contained HTML page "
      + "(stacked bars per period, cost or tokens, the budget's line, the table) to FILE, or - for stdout.")
  String html;

  @Option(names = "--budget", paramLabel = "NAME", description = "Only this budget's scope; shows its limit.")
  String budget;

  @Option(names = "--reprice", description = "Price every event again with today's prices (the built-in "
      + "table or prices --update's, with the configuration's prices:), for this report only; reads every event.")
  boolean reprice;

  /** Being found for a text report, else null. */
  private CompletableFuture<Terminal> terminal;

  ReportCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    List<String> toStdout = java.util.stream.Stream.of(json ? "--json" : null, csv ? "--csv" : null,
        "-".equals(html) ? "--html -" : null).filter(java.util.Objects::nonNull).toList();
    if (toStdout.size() > 1) {
      context.err().println("tokenwatch: " + String.join(toStdout.size() == 2 ? " and " : ", ", toStdout)
          + (toStdout.size() == 2 ? " both" : " all") + " write to stdout: "
          + ("-".equals(html) ? "give --html a FILE" : "choose one"));
      return ExitCodes.USAGE;
    }
    if (view.dimension() != null && by != null) {
      throw new ParameterException(spec.commandLine(), "--by applies to daily, weekly and monthly reports; "
          + "report " + view.label() + " has a row per " + view.label() + " (--breakdown adds its models)");
    }
    if (!json && !csv && html == null) {
      // the terminal's width costs a process (stty) on a terminal: found while the store opens and answers
      terminal = CompletableFuture.supplyAsync(this::findTerminal);
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
    LocalDate today = context.env().clock().now().atZone(reportZone).toLocalDate();
    LocalDate first = since == null ? null : since.first(today);
    LocalDate last = until == null ? null : until.last(today);
    if (first != null && last != null && last.isBefore(first)) {
      context.err().println("tokenwatch: --until (" + day(until, last) + ") must not be before --since ("
          + day(since, first) + ")");
      return ExitCodes.USAGE;
    }
    ingest.run(context);
    if (view.dimension() != null) {
      return sessions(tracker, new SessionReport.Request(view.dimension(), reportZone, first, last, filter, breakdown),
          scope);
    }
    UsageReport.Request request = new UsageReport.Request(view.granularity(), reportZone, first, last,
        by == null ? Dimension.MODEL : by, filter, breakdown);
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
    } else if (csv) {
      out.print(ReportCsv.periods(report));
    } else if (html == null) {
      out.print(terminal().shown(scope.header() + ReportText.text(report, reportBudget, terminal(), wide)));
    }
    return ExitCodes.OK;
  }

  /** {@code report session} or {@code report project}. */
  private int sessions(TokenTracker tracker, SessionReport.Request request, BudgetReportScope scope) {
    PriceTable prices = reprice ? EffectivePrices.of(context.application().config()) : null;
    UsageAnswer answer = reprice
        ? UsageReport.repricedAnswer(tracker, context.application().store(), request.query(), prices)
        : tracker.query(request.query());
    SessionReport report = SessionReport.of(request, answer, prices);
    context.out().print(json ? SessionReportJson.write(report) + "\n" : csv ? ReportCsv.sessions(report)
        : terminal().shown(scope.header() + SessionReportText.text(report, terminal(), wide)));
    return ExitCodes.OK;
  }

  /** The width text must fit and whether blocks show. */
  private Terminal terminal() {
    return terminal.join();
  }

  private Terminal findTerminal() {
    Terminal found = Terminal.of(context.env());
    return ascii ? new Terminal(found.width(), false) : found;
  }

  /** "2026-10-31", or "last-month: 2026-10-31" for a relative form. */
  private static String day(RelativeDates.DateArg given, LocalDate resolved) {
    return given.text().trim().equals(resolved.toString()) ? resolved.toString() : given.text() + ": " + resolved;
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
}
