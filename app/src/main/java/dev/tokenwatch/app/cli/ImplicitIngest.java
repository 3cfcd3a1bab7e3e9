package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.logging.Redaction;
import dev.tokenwatch.app.view.Format;
import dev.tokenwatch.app.view.ReportText;
import dev.tokenwatch.app.wiring.Application;
import dev.tokenwatch.app.wiring.StoreException;
import dev.tokenwatch.config.SourceConfig;
import dev.tokenwatch.ingest.IngestStateException;
import dev.tokenwatch.ingest.IngestSummary;
import dev.tokenwatch.ingest.MalformedLine;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * What {@code report}, {@code status} and {@code check} do before they answer: ingest what the
 * configured sources appended since the last run (a picocli mixin with {@code --no-ingest}).
 * Incremental through {@code ingest}'s offsets, so it costs a directory walk when nothing changed.
 *
 * <p>Everything it says goes to stderr, one line when something was added, so stdout ({@code
 * --json}) holds the answer only. A source that cannot be read is a warning, not an error: the
 * ledger's answer is still exact for everything recorded before, a report or status that fails
 * because one log file is unreadable helps nobody, and the warning names the source and says the
 * answer leaves out what it appended. A corrupt offsets file is a store error, as for {@code ingest}.
 */
final class ImplicitIngest {

  @Option(names = "--no-ingest",
      description = "Answer from what is recorded; do not first read what the usage sources (sources: in the "
          + "configuration, by default Claude Code's ~/.claude/projects) appended since the last run.")
  boolean skip;

  /** Ingests the sources of {@code context}'s configuration unless {@code --no-ingest} was given. */
  void run(CliContext context) {
    if (skip || context.config().sources().isEmpty()) {
      return;
    }
    PrintStream err = context.err();
    Sources.Selection selection = Sources.select(context.config().sources());
    for (SourceConfig missing : selection.missing()) {
      err.println("tokenwatch: warning: usage source " + missing.describe() + " does not exist; not read");
    }
    if (selection.groups().isEmpty()) {
      return;
    }
    Application application = context.application();
    for (Sources.Group group : selection.groups()) {
      try {
        IngestSummary summary = Sources.ingestOnce(application,
            Sources.ingestor(application, context.env(), err, group.format(), true).build(), group.inputs());
        err.print(summaryText(summary, group));
      } catch (IngestStateException e) {
        throw new StoreException(e.getMessage() + " (it is left as it is; move it away to read every file again)", e);
      } catch (UncheckedIOException | IllegalArgumentException e) {
        // unreadable (permissions, a directory gone mid-walk): the ledger still answers for the rest
        err.println("tokenwatch: warning: cannot read usage source " + group.describe() + ": "
            + Redaction.redact(e.getMessage()) + "; the answer leaves out what it appended since the last run");
      } finally {
        err.flush();
      }
    }
  }

  /** A line when the run added events, one for malformed lines and one for lines kept for later; else nothing. */
  static String summaryText(IngestSummary s, Sources.Group group) {
    StringBuilder text = new StringBuilder();
    if (s.eventsIngested() > 0) {
      // a record replacing a smaller one of the same request (a message still being written) is no new event
      String events = s.eventsRecorded() > 0 ? String.format(Locale.ROOT, "ingested %,d new events", s.eventsRecorded())
          : String.format(Locale.ROOT, "updated %,d events", s.eventsReplaced());
      text.append(String.format(Locale.ROOT, "tokenwatch: %s (%s tokens, %s) from %s%n", events,
          Format.tokens(s.tokensAdded()), ReportText.cost(s.added()), group.describe()));
    }
    if (s.malformedLines() > 0) {
      MalformedLine first = s.firstMalformed().isEmpty() ? null : s.firstMalformed().get(0);
      text.append(String.format(Locale.ROOT, "tokenwatch: warning: %,d malformed lines skipped%s%n",
          s.malformedLines(), first == null ? "" : ", the first " + first));
    }
    if (s.futureLines() > 0) {
      text.append(String.format(Locale.ROOT,
          "tokenwatch: %,d lines stamped in the future kept for a later run%n", s.futureLines()));
    }
    return text.toString();
  }
}
