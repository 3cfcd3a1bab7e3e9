package dev.tokenwatch.app;

import dev.tokenwatch.app.logging.Redaction;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.ingest.IngestStateException;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.ingest.IngestSummary;
import dev.tokenwatch.ingest.Ingestor;
import dev.tokenwatch.ingest.LogFormat;
import dev.tokenwatch.ingest.MalformedLine;
import dev.tokenwatch.ingest.MalformedLineException;
import dev.tokenwatch.ingest.TextProgressBar;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code tokenwatch ingest}: charges usage logs to the budget, incrementally. */
@Command(name = "ingest", description = {
    "Reads usage logs and charges them to the budget: OpenAI and Anthropic API",
    "responses, Claude Code session logs (~/.claude/projects), Codex CLI session",
    "logs (~/.codex/sessions), tokenwatch's own history --json; one JSON object per",
    "line. Each record counts once, however often it is read; a second run reads",
    "only what was appended since. Lines stamped more than 5 minutes ahead of the",
    "clock wait for a later run. Alerts go to the configured notifiers; a summary",
    "to stderr."})
final class IngestCommand implements Callable<Integer> {

  /** How long Ctrl-C waits for a stopped run to apply its last batch and print the summary. */
  private static final long STOP_WAIT_SECONDS = 30;

  private final CliContext context;

  @Parameters(arity = "1..*", paramLabel = "PATH",
      description = "Files, directories (walked for *.jsonl and *.json, in sorted order) or - for stdin.")
  List<String> paths;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", converter = FormatConverter.class,
      description = "auto (detected per line), openai, anthropic, claude-code, codex or tokenwatch "
          + "(default: ${DEFAULT-VALUE}).")
  LogFormat format;

  @Spec
  CommandSpec spec;

  /** For records that name none: API responses (Claude Code and Codex lines name their own). */
  @Mixin
  DimensionOptions dimensions;

  @Option(names = "--follow",
      description = "After reading, keep watching for appended lines and new files (like tail -F) until Ctrl-C.")
  boolean follow;

  @Option(names = "--strict", description = "Stop at the first malformed line (exit code 4).")
  boolean strict;

  @Option(names = "--quiet",
      description = "No progress bar and no summary; malformed lines and alerts are still reported.")
  boolean quiet;

  IngestCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    java.util.SortedMap<String, String> tags = dimensions.tags(spec.commandLine());
    Optional<String> missing = paths.stream().filter(p -> !p.equals("-") && !Files.exists(context.env().resolve(p)))
        .findFirst();
    if (missing.isPresent()) {
      // The whole message, not buried under the usage help.
      Path resolved = context.env().resolve(missing.get());
      context.err().println("tokenwatch: no such file or directory: " + missing.get()
          + (resolved.toString().equals(missing.get()) ? "" : " (" + resolved + ")"));
      return ExitCodes.USAGE;
    }
    List<String> inputs = paths.stream().map(p -> p.equals("-") ? p : context.env().resolve(p).toString()).toList();
    Application application = context.application();
    AppEnvironment env = context.env();
    PrintStream err = context.err();
    // Opens the store (and the notifiers) first, so the run below is closed before them.
    Ingestor.Builder builder = Ingestor.builder(application.tracker())
        .format(format)
        .strict(strict)
        .clock(env.clock())
        .stdin(env.stdin());
    applyDimensions(builder, dimensions.project, dimensions.session, tags, spec.commandLine());
    IngestStateLocation.of(application.config()).ifPresent(builder::stateDirectory);
    if (!quiet && env.stderrIsTerminal()) {
      builder.progressListener(new TextProgressBar(err));
    }
    Ingestor ingestor = builder.build();
    RunningIngest running = application.register("the ingest run", new RunningIngest(ingestor));
    try {
      if (follow && !quiet) {
        err.println("tokenwatch: following " + String.join(", ", paths) + " for new lines; Ctrl-C stops.");
      }
      IngestSummary summary = follow ? ingestor.follow(inputs) : ingestor.ingest(inputs);
      if (quiet) {
        printMalformed(summary, err);
        printFuture(summary, err);
      } else {
        err.print(summaryText(summary, application.config().budget()));
      }
      return ExitCodes.OK;
    } catch (MalformedLineException e) {
      err.println("tokenwatch: " + e.malformedLine());
      err.println("tokenwatch: --strict stops at the first malformed line; the lines before it were ingested, "
          + "and the next run starts at this line.");
      return ExitCodes.MALFORMED;
    } catch (IngestStateException e) {
      throw new StoreException(e.getMessage() + " (it is left as it is; move it away to read every file again)", e);
    } catch (UncheckedIOException e) {
      err.println("tokenwatch: " + Redaction.redact(e.getMessage()));
      return ExitCodes.USAGE;
    } catch (IllegalArgumentException e) {
      // An input that existed a moment ago (checked above) and is gone now.
      err.println("tokenwatch: " + Redaction.redact(e.getMessage()));
      return ExitCodes.USAGE;
    } finally {
      err.flush();
      running.finished();
    }
  }

  /** The summary printed at the end, on stderr. */
  static String summaryText(IngestSummary s, TokenBudget budget) {
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "Ingest summary: %s files, %s with new lines; %s lines (%s) in %.2f s, "
        + "%s lines/s%n", count(s.filesScanned()), count(s.filesRead()), count(s.lines()), megabytes(s.bytes()),
        s.elapsed().toNanos() / 1e9, count(Math.round(s.linesPerSecond()))));
    row(text, "events ingested", count(s.eventsIngested()) + (s.eventsReplaced() == 0 ? ""
        : " (" + count(s.eventsReplaced()) + " replacing an earlier, smaller record of the same request)"));
    row(text, "duplicates", count(s.duplicates()) + " (already counted)");
    row(text, "non-usage lines", count(s.nonUsageLines()) + " (skipped)");
    row(text, "malformed lines", count(s.malformedLines()));
    if (s.beforeRetention() > 0) {
      row(text, "past retention", count(s.beforeRetention()) + " (older than store.retention keeps: not kept)");
    }
    appendMalformed(s, text);
    if (s.futureLines() > 0) {
      row(text, "kept for later", futureText(s));
      appendFuture(s, text);
    }
    row(text, "tokens added", Format.tokens(s.tokensAdded()));
    row(text, "cost added", costText(s));
    row(text, "at ingest time", count(s.chargedAtIngestTime())
        + " (records without a timestamp, charged to the current period)");
    row(text, "budget", "'" + budget.name() + "' " + s.usage().usedOfLimit() + " used this period ("
        + Format.percent(s.usage().percentage()) + ")");
    if (!s.earlierPeriods().isEmpty()) {
      row(text, "earlier periods", earlierText(s, budget));
    }
    return text.toString();
  }

  /**
   * "$12.34" as priced when recorded; with events the table has no price for, how many and their
   * models: "$12.34 and 3 events (1,200 tokens) without a price: my-llama (3); see ...".
   */
  static String costText(IngestSummary s) {
    Counts added = s.added();
    String cost = ReportText.cost(added);
    if (added.unpricedCalls() <= 0 && s.unpricedModels().isEmpty()) {
      return cost;
    }
    List<String> models = new ArrayList<>();
    s.unpricedModels().forEach((model, events) -> models.add(model + " (" + count(events) + ")"));
    String named = models.size() <= 5 ? String.join(", ", models)
        : String.join(", ", models.subList(0, 5)) + " and " + (models.size() - 5) + " more";
    String events = added.unpricedCalls() > 0 ? count(added.unpricedCalls()) + " events ("
        + Format.tokens(added.unpricedTokens()) + " tokens) without a price" : "events without a price";
    return (cost.equals(ReportText.NO_COST) ? "unknown: " : cost + " and ") + events
        + (models.isEmpty() ? "" : ": " + named)
        + "; give them prices under prices: in the configuration, or run 'tokenwatch prices --update FILE'";
  }

  /**
   * "47,972,864 tokens charged to earlier periods (2026-11: 4,797.3% of its limit): see 'tokenwatch
   * report monthly'"; the three latest periods are named.
   */
  static String earlierText(IngestSummary s, TokenBudget budget) {
    List<IngestSummary.EarlierPeriod> periods = s.earlierPeriods();
    List<String> named = new ArrayList<>();
    for (IngestSummary.EarlierPeriod p : periods.subList(Math.max(0, periods.size() - 3), periods.size())) {
      named.add(Format.periodLabel(budget.period(), p.start().atZone(budget.zone())) + ": "
          + Format.percent(p.shareOfLimit()));
    }
    String more = periods.size() > 3 ? (periods.size() - 3) + " more, " : "";
    return Format.tokens(s.tokensAddedToEarlierPeriods()) + " tokens charged to earlier periods (" + more
        + String.join(", ", named) + (periods.size() == 1 ? " of its limit" : " of their limits")
        + "): see 'tokenwatch report " + budget.period().label() + "'";
  }

  /**
   * The run's project, session and tags onto {@code builder}; a value no event could carry is a
   * usage error naming the option.
   */
  static void applyDimensions(Ingestor.Builder builder, String project, String session,
      java.util.Map<String, String> tags, CommandLine commandLine) {
    try {
      if (project != null) {
        builder.project(project);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, "--project: " + e.getMessage());
    }
    try {
      if (session != null) {
        builder.session(session);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, "--session: " + e.getMessage());
    }
    tags.forEach(builder::tag); // checked by DimensionOptions already
  }

  private static String futureText(IngestSummary s) {
    return count(s.futureLines()) + " lines stamped in the future kept for a later run"
        + " (from the first such line of a file on; a later run counts them once the clock has passed them)";
  }

  private static void printFuture(IngestSummary s, PrintStream err) {
    if (s.futureLines() > 0) {
      StringBuilder text = new StringBuilder("tokenwatch: ").append(futureText(s)).append(':')
          .append(System.lineSeparator());
      appendFuture(s, text);
      err.print(text);
    }
  }

  private static void appendFuture(IngestSummary s, StringBuilder text) {
    for (MalformedLine line : s.firstFuture()) {
      text.append("    ").append(line).append(System.lineSeparator());
    }
  }

  private static void printMalformed(IngestSummary s, PrintStream err) {
    if (s.malformedLines() > 0) {
      StringBuilder text = new StringBuilder();
      text.append("tokenwatch: ").append(count(s.malformedLines())).append(" malformed lines skipped:")
          .append(System.lineSeparator());
      appendMalformed(s, text);
      err.print(text);
    }
  }

  private static void appendMalformed(IngestSummary s, StringBuilder text) {
    for (MalformedLine line : s.firstMalformed()) {
      text.append("    ").append(line).append(System.lineSeparator());
    }
    long more = s.malformedLines() - s.firstMalformed().size();
    if (more > 0) {
      text.append("    ... and ").append(count(more)).append(" more").append(System.lineSeparator());
    }
  }

  private static void row(StringBuilder text, String label, String value) {
    text.append(String.format(Locale.ROOT, "  %-16s %s%n", label, value));
  }

  private static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /**
   * The run as a resource of the application: closing it (at the end of the command, or from the
   * shutdown hook on Ctrl-C) stops the ingestor and waits until the command has applied what it
   * read, saved the offsets and printed the summary; only then are the store and the notifiers,
   * registered earlier, closed.
   */
  static final class RunningIngest implements AutoCloseable {
    // Here, not in IngestCommand: picocli creates every command before AppLogging starts Log4j, and a
    // logger created that early would start Log4j looking for a configuration file.
    private static final Logger LOG = LogManager.getLogger(IngestCommand.class);

    private final Ingestor ingestor;
    private final CountDownLatch done = new CountDownLatch(1);

    RunningIngest(Ingestor ingestor) {
      this.ingestor = ingestor;
    }

    void finished() {
      done.countDown();
    }

    @Override
    public void close() {
      ingestor.stop();
      try {
        if (!done.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
          LOG.warn("The ingest run did not stop within {} s; closing the store under it", STOP_WAIT_SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("Interrupted while waiting for the ingest run to stop; closing the store under it");
      }
    }
  }

  /** "claude-code" to {@link LogFormat#CLAUDE_CODE}, with the engine's message for anything else. */
  static final class FormatConverter implements ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String text) {
      try {
        return LogFormat.parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
