package dev.tokenwatch.app.view;

import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.ingest.IngestSummary;
import dev.tokenwatch.ingest.MalformedLine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code ingest}'s summary on stderr: what a run read, added, skipped and kept for later. */
public final class IngestSummaryText {

  private IngestSummaryText() {}

  /** The summary printed at the end, on stderr. */
  public static String summaryText(IngestSummary s, TokenBudget budget) {
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
   * Why the inputs a user named, {@code shown}, are no usage log at all ({@link
   * IngestSummary#noUsageLog()}), when they are not. Empty for a log, also one with nothing new.
   */
  public static Optional<String> notUsageLog(IngestSummary s, String shown) {
    if (!s.noUsageLog()) {
      return Optional.empty();
    }
    if (s.filesScanned() == 0) {
      return Optional.of(shown + " has no .jsonl or .json files (a directory is walked for them): nothing to ingest");
    }
    String firstMalformed = s.firstMalformed().isEmpty() ? "" : "; the first, " + s.firstMalformed().get(0).source()
        + ':' + s.firstMalformed().get(0).line() + ": " + shortReason(s.firstMalformed().get(0).reason());
    return Optional.of("not a usage log: " + shown + " (none of its " + count(s.lines()) + " lines is a usage "
        + "record, " + count(s.malformedLines()) + " are malformed" + firstMalformed + ")" + System.lineSeparator()
        + "tokenwatch: ingest reads JSON Lines: Claude Code and Codex session logs, OpenAI and Anthropic API "
        + "responses, tokenwatch history --json; nothing was ingested");
  }

  /** A parser's reason without its detail: "invalid JSON at column 2", at most 80 characters. */
  private static String shortReason(String reason) {
    int colon = reason.indexOf(": ");
    String shortened = reason.startsWith("invalid JSON") && colon > 0 ? reason.substring(0, colon) : reason;
    return shortened.length() <= 80 ? shortened : shortened.substring(0, 77) + "...";
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

  private static String futureText(IngestSummary s) {
    return count(s.futureLines()) + " lines stamped in the future kept for a later run"
        + " (from the first such line of a file on; a later run counts them once the clock has passed them)";
  }

  /** Prints the lines stamped in the future that were kept for a later run, if any. */
  public static void printFuture(IngestSummary s, PrintStream err) {
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

  /** Prints the malformed lines that were skipped, if any. */
  public static void printMalformed(IngestSummary s, PrintStream err) {
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
}
