package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.logging.Redaction;
import dev.tokenwatch.app.view.Format;
import dev.tokenwatch.app.view.ReportText;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TrackedBudget;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenwatch statusline}: the one line of Claude Code's status-line hook, e.g. {@code Opus 4.1
 * · $4.12 session · $38.90 today · 62.0% of monthly budget · $11.80/h}, from the store as it is (no
 * ingest, so it stays fast enough to run on every refresh).
 */
@Command(name = "statusline", description = {
    "Prints the one line of Claude Code's status line.",
    "The model, the session's cost, today's cost, the first budget's usage and the cost of the last",
    "hour, from the store (no ingest). Reads the JSON Claude Code passes on stdin (session_id, model);",
    "without it the line has no session or model. The hook, in ~/.claude/settings.json:",
    "  {\"statusLine\": {\"type\": \"command\", \"command\": \"tokenwatch statusline\"}}"})
final class StatuslineCommand implements Callable<Integer> {

  /** The burn rate is the cost of this much time up to now, per hour. */
  static final Duration BURN_WINDOW = Duration.ofHours(1);
  /** The longest wait for stdin's end once the store is open (its reading starts before). */
  static final long STDIN_WAIT_MILLIS = 500;
  static final String SEPARATOR = " · ";

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Option(names = "--budget", paramLabel = "NAME", description = "The budget whose usage the line shows "
      + "(default: the first); today is cut in its zone.")
  String budget;

  StatuslineCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    StatuslineInput.Pending pending = StatuslineInput.start(context.env()); // read while the store opens
    List<TrackedBudget> budgets = BudgetSelection.select(context, budget, spec.commandLine());
    TokenTracker tracker = context.application().tracker();
    StatuslineInput input = pending.await(STDIN_WAIT_MILLIS);
    if (input.problem() != null) {
      context.err().println("tokenwatch: " + Redaction.redact(input.problem()));
    }
    boolean named = budget == null && tracker.budgets().size() > 1;
    context.out().println(line(input, tracker, budgets.get(0), named, context.env().clock().now()));
    return ExitCodes.OK;
  }

  /**
   * The line: the model (if the input names one), the session's cost (if it names a session), the
   * cost since midnight in the budget's zone and the budget's usage of its period (both over all
   * usage the store holds), and the burn rate: the cost of the last {@link #BURN_WINDOW}, per hour.
   *
   * @param named whether to name the budget (several are configured and none was chosen)
   */
  static String line(StatuslineInput input, TokenTracker tracker, TrackedBudget tracked, boolean named,
      Instant now) {
    List<String> parts = new ArrayList<>();
    if (input.model() != null) {
      parts.add(input.model());
    }
    if (input.sessionId() != null) {
      parts.add(cost(tracker, UsageQuery.all().filter(UsageFilter.ANY.withSession(input.sessionId()))) + " session");
    }
    TokenBudget b = tracked.getBudget();
    ZoneId zone = b.zone();
    Instant midnight = now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
    parts.add(cost(tracker, UsageQuery.all().between(midnight, null)) + " today");
    parts.add(Format.percent(tracked.getUsage().percentage()) + " of " + b.period().label() + " budget"
        + (named ? " " + b.name() : ""));
    parts.add(cost(tracker, UsageQuery.all().between(now.minus(BURN_WINDOW), null)) + "/h");
    return String.join(SEPARATOR, parts);
  }

  /** As the report shows a cost: "$1.24", "$1.24*" (some events unpriced), "—" (none priced). */
  private static String cost(TokenTracker tracker, UsageQuery query) {
    Counts counts = tracker.query(query).total();
    return ReportText.cost(counts);
  }
}
