package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.view.Format;
import dev.tokenwatch.app.view.ReportText;
import dev.tokenwatch.app.view.Terminal;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackedBudget;
import dev.tokenwatch.ingest.TokenUsageEventJson;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokenwatch history}: the most recent events. */
@Command(name = "history", description = {
    "Lists the most recent events with the cost stored with each.",
    "Lists the most recent events, oldest first, with the cost stored with each (— if it has no price):",
    "the last historySize events of the first budget's scope, or of --budget NAME's."})
final class HistoryCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Option(names = "--limit", paramLabel = "N", converter = WholeNumbers.Positive.class,
      description = "Show at most the N most recent events.")
  Integer limit;

  @Option(names = "--budget", paramLabel = "NAME",
      description = "The events of this budget's scope (its historySize); the first budget by default.")
  String budget;

  @Option(names = "--json",
      description = "One JSON object per event and line, with its project, session, tags and costUsd where "
          + "it has them; re-imports with ingest --format tokenwatch (keeping the cost).")
  boolean json;

  HistoryCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    TrackedBudget tracked = budget == null ? context.application().tracker().budgets().get(0)
        : BudgetSelection.select(context, budget, spec.commandLine()).get(0);
    List<TokenUsageEvent> events = tracked.getHistory();
    if (limit != null && events.size() > limit) {
      events = events.subList(events.size() - limit, events.size());
    }
    if (json) {
      // Exactly what ingest --format tokenwatch reads back, so an export re-imports.
      events.forEach(e -> context.out().println(TokenUsageEventJson.toJson(e)));
    } else if (events.isEmpty()) {
      context.out().println("No events recorded yet.");
    } else {
      ZoneId zone = tracked.getBudget().zone();
      Terminal terminal = new Terminal(Terminal.UNLIMITED, Terminal.unicode(context.env()));
      int modelWidth = Math.max(5, events.stream().mapToInt(e -> e.model().length()).max().orElse(5));
      String row = "%-19s  %-" + modelWidth + "s  %11s  %11s  %14s  %11s  %11s  %10s  %s%n";
      // the column names of report's tables
      context.out().printf(Locale.ROOT, row, "Time (" + zone.getId() + ")", "Model", "Input", "Output",
          "Cache creation", "Cache read", "Total", "Cost (USD)", "Request");
      for (TokenUsageEvent e : events) {
        context.out().print(terminal.shown(String.format(Locale.ROOT, row, Format.SECOND.format(e.timestamp()
            .atZone(zone)), e.model(), Format.tokens(e.inputTokens()), Format.tokens(e.outputTokens()),
            Format.tokens(e.cacheCreationTokens()), Format.tokens(e.cacheReadTokens()), Format.tokens(e.totalTokens()),
            e.hasCost() ? BudgetUnit.formatUsd(e.costNanoUsd()) : ReportText.NO_COST,
            e.requestId() == null ? "" : e.requestId())));
      }
    }
    return ExitCodes.OK;
  }
}
