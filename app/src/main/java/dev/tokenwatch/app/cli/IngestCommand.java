package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.logging.Redaction;
import dev.tokenwatch.app.view.IngestSummaryText;
import dev.tokenwatch.app.wiring.Application;
import dev.tokenwatch.app.wiring.StoreException;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.SourceConfig;
import dev.tokenwatch.ingest.IngestStateException;
import dev.tokenwatch.ingest.IngestSummary;
import dev.tokenwatch.ingest.Ingestor;
import dev.tokenwatch.ingest.LogFormat;
import dev.tokenwatch.ingest.MalformedLineException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine;

/** {@code tokenwatch ingest}: charges usage logs to the budget, incrementally. */
@Command(name = "ingest", description = {
    "Reads the usage logs of Claude Code, Codex and the OpenAI and Anthropic APIs.",
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

  @Parameters(arity = "0..*", paramLabel = "PATH",
      description = "Files, directories (walked for *.jsonl and *.json, in sorted order) or - for stdin; none: "
          + "the usage sources of the configuration (sources:, by default Claude Code's ~/.claude/projects).")
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

  @Mixin
  MetricsOptions metrics;

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
    if (paths == null || paths.isEmpty()) {
      return ingestSources(tags);
    }
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
    return ingest(format, inputs, String.join(", ", paths), true, tags);
  }

  /** Without a PATH: the configured sources, one run per format; a configured one that is missing is an error. */
  private int ingestSources(java.util.SortedMap<String, String> tags) {
    if (spec.commandLine().getParseResult().hasMatchedOption("--format")) {
      throw new ParameterException(spec.commandLine(), "--format applies to PATHs; without a PATH each source "
          + "of the configuration (sources:) is read in its own type");
    }
    AppConfig config = context.config();
    Sources.Selection selection = Sources.select(config.sources());
    if (!selection.missing().isEmpty()) {
      context.err().println("tokenwatch: no such file or directory: usage source "
          + selection.missing().get(0).describe());
      return ExitCodes.USAGE;
    }
    if (selection.groups().isEmpty()) {
      String defaults = String.join(", ", SourceConfig.defaults(context.env()).stream()
          .map(s -> s.path().toString()).toList());
      context.err().println("tokenwatch: ingest needs a PATH, or usage sources under sources: in the configuration ("
          + config.source() + (config.sources().isEmpty() && config.file().isPresent() ? " lists none" : " has none, "
          + "and Claude Code's log directory does not exist: " + defaults) + ")");
      return ExitCodes.USAGE;
    }
    if (follow && selection.groups().size() > 1) {
      throw new ParameterException(spec.commandLine(), "--follow follows sources of one type; the configuration's "
          + "are of " + selection.groups().size() + " types (" + String.join(", ", selection.groups().stream()
          .map(g -> g.format().label()).toList()) + "): follow one, e.g. tokenwatch ingest --follow "
          + selection.groups().get(0).describe());
    }
    int code = ExitCodes.OK;
    for (Sources.Group group : selection.groups()) {
      code = Math.max(code, ingest(group.format(), group.inputs(), group.describe(), false, tags));
    }
    return code;
  }

  /** One run; {@code named}: the user named the inputs, so inputs that are no usage log are an error. */
  private int ingest(LogFormat runFormat, List<String> inputs, String shown, boolean named,
      java.util.SortedMap<String, String> tags) {
    Application application = context.application();
    PrintStream err = context.err();
    // Opens the store (and the notifiers) first, so the run below is closed before them.
    Ingestor.Builder builder = Sources.ingestor(application, context.env(), err, runFormat, !quiet).strict(strict)
        .forgetNoUsageLog(named && !follow); // refused below: the next run finds the same
    applyDimensions(builder, dimensions.project, dimensions.session, tags, spec.commandLine());
    if (!metrics.attach(application, builder, follow, spec.commandLine(), err)) {
      return ExitCodes.USAGE;
    }
    Ingestor ingestor = builder.build();
    RunningIngest running = application.register("the ingest run", new RunningIngest(ingestor));
    try {
      if (follow && !quiet) {
        err.println("tokenwatch: following " + shown + " for new lines; Ctrl-C stops.");
      }
      IngestSummary summary = follow ? ingestor.follow(inputs) : ingestor.ingest(inputs);
      Optional<String> notUsageLog = named && !follow ? IngestSummaryText.notUsageLog(summary, shown)
          : Optional.empty();
      if (notUsageLog.isPresent()) {
        // one or two lines instead of a summary of nothing and the parser's messages
        err.println("tokenwatch: " + notUsageLog.get());
        return ExitCodes.USAGE;
      }
      if (quiet) {
        IngestSummaryText.printMalformed(summary, err);
        IngestSummaryText.printFuture(summary, err);
      } else {
        err.print(IngestSummaryText.summaryText(summary, application.config().budget()));
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
      throw new ParameterException(commandLine, UsageOptions.optionMessage(e.getMessage(), java.util.Map.of()));
    }
    try {
      if (session != null) {
        builder.session(session);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, UsageOptions.optionMessage(e.getMessage(), java.util.Map.of()));
    }
    tags.forEach(builder::tag); // checked by DimensionOptions already
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
