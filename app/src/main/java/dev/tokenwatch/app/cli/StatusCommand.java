package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.view.DisplayWidth;
import dev.tokenwatch.app.view.Format;
import dev.tokenwatch.app.view.Json;
import dev.tokenwatch.app.view.OutboxText;
import dev.tokenwatch.app.view.StatusView;
import dev.tokenwatch.app.view.Terminal;
import dev.tokenwatch.domain.TrackedBudget;
import dev.tokenwatch.domain.outbox.PendingAlert;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokenwatch status}: the current period of every budget at a glance, or one in detail. */
@Command(name = "status", description = {
    "Shows the current period of each budget: a line with its usage bar, used and limit.",
    "With one budget, or with --budget NAME: when the period ends and how much time is left,",
    "tokens (or dollars) used and left, models, alerts fired."})
final class StatusCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Option(names = "--budget", paramLabel = "NAME", description = "Only this budget, in detail.")
  String budget;

  @Option(names = "--json", description = "One JSON object: {\"budgets\": [...]} (documented in the README).")
  boolean json;

  @Option(names = "--ascii", description = "Draw the usage bars with # and . (default: block characters "
      + "when the locale is UTF-8).")
  boolean ascii;

  @Mixin
  ImplicitIngest ingest;

  StatusCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    List<TrackedBudget> budgets = BudgetSelection.select(context, budget, spec.commandLine());
    ingest.run(context); // after --budget is checked; the usage below is read after it
    Instant now = context.env().clock().now();
    Format format = new Format(context.env().colour());
    if (json) {
      List<StatusView> views = budgets.stream().map(b -> StatusView.read(b, now)).toList();
      context.out().println(Json.object(out -> {
        out.writeArrayFieldStart("budgets");
        for (StatusView view : views) {
          view.json(out);
        }
        out.writeEndArray();
        List<PendingAlert> outbox = context.application().tracker().undeliveredAlerts();
        out.writeNumberField("alertsWaiting", outbox.stream().filter(e -> !e.givenUp()).count());
        out.writeNumberField("alertsGivenUp", outbox.stream().filter(PendingAlert::givenUp).count());
      }));
    } else {
      // the width does not matter here: no stty process, only whether blocks show
      Terminal terminal = new Terminal(Terminal.UNLIMITED, !ascii && Terminal.unicode(context.env()));
      String text = budgets.size() == 1 ? StatusView.read(budgets.get(0), now).text(format)
          : overview(budgets.stream().map(b -> StatusView.summary(b, now)).toList(), format);
      context.out().print(terminal.shown(text + OutboxText.text(context.application().tracker().undeliveredAlerts())));
    }
    return ExitCodes.OK;
  }

  /** A line per budget with its bar, then what needs saying about any of them. */
  static String overview(List<StatusView> views, Format format) {
    int width = views.stream().mapToInt(v -> DisplayWidth.of(v.budget().name())).max().orElse(0);
    StringBuilder s = new StringBuilder();
    views.forEach(v -> s.append(v.line(format, width)));
    StringBuilder notes = new StringBuilder();
    views.forEach(v -> notes.append(v.notes()));
    if (!notes.isEmpty()) {
      s.append('\n').append(notes);
    }
    return s.append("\nDetails of one budget: tokenwatch status --budget NAME\n").toString();
  }
}
