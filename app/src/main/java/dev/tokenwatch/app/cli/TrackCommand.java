package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.view.Format;
import dev.tokenwatch.domain.BudgetCharge;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.PeriodWindow;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackOutcome;
import dev.tokenwatch.domain.TrackResult;
import dev.tokenwatch.domain.Usage;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tokenwatch track}: records one event. */
@Command(name = "track", description = {
    "Records the token usage of one LLM call.",
    "Prints each budget's usage; an alert it raises goes to the configured notifiers."})
final class TrackCommand implements Callable<Integer> {

  private static final ZoneId UTC = ZoneId.of("UTC");

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Mixin
  UsageOptions usage;

  @Mixin
  DimensionOptions dimensions;

  TrackCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    TokenUsageEvent event = usage.event(dimensions, context.env().clock().now(), spec.commandLine());
    TokenTracker tracker = context.application().tracker();
    TrackResult result;
    try {
      result = tracker.track(event);
    } catch (IllegalArgumentException e) {
      // The tracker rejects events stamped too far in the future; store failures are StoreExceptions.
      throw new ParameterException(spec.commandLine(), "--at: " + e.getMessage());
    }
    context.out().println(confirmation(event, result, tracker));
    return ExitCodes.OK;
  }

  /**
   * What {@code track} prints of {@code result}, the tracking of {@code event} (also {@code commit}):
   * the event and, with one budget, its usage on the line; with several, a line each below it.
   */
  static String confirmation(TokenUsageEvent event, TrackResult result, TokenTracker tracker) {
    boolean charged = result.outcome() == TrackOutcome.RECORDED || result.outcome() == TrackOutcome.REPLACED;
    List<BudgetCharge> inScope = result.budgets().stream().filter(c -> c.budget().scope().matches(event)).toList();
    boolean outsideEvery = charged && !inScope.isEmpty()
        && inScope.stream().noneMatch(c -> otherPeriod(event, c, tracker).isEmpty());
    String usage = result.budgets().size() == 1 ? usage(result.budgets().get(0)) : "";
    // an event outside the current period does not move the usage shown: say where it went
    String when = !outsideEvery ? "" : " at " + Format.time(event.timestamp().atZone(UTC)) + ", "
        + (inScope.size() == 1 ? "in the period " + otherPeriod(event, inScope.get(0), tracker) + " of budget '"
            + inScope.get(0).budget().name() + "', not its current one" : "outside every budget's current period");
    String line = switch (result.outcome()) {
      case RECORDED -> "Tracked " + Format.tokens(event.totalTokens()) + " tokens for " + event.model()
          + describeDimensions(event) + when + ":" + usage;
      case REPLACED -> "Tracked " + Format.tokens(event.totalTokens()) + " tokens for " + event.model()
          + describeDimensions(event) + when + ", replacing the earlier record of request " + event.requestId()
          + ":" + usage;
      case DUPLICATE -> "Request " + event.requestId() + " was already counted; nothing added:" + usage;
      case BEFORE_RETENTION -> "Not tracked: " + event.timestamp() + " lies before the store's retained usage ("
          + tracker.retainedFrom() + "):" + usage;
    };
    if (result.budgets().size() > 1) {
      int width = result.budgets().stream().mapToInt(b -> b.budget().name().length()).max().orElse(0);
      StringBuilder lines = new StringBuilder(line);
      for (BudgetCharge charge : result.budgets()) {
        boolean matches = charge.budget().scope().matches(event);
        String period = matches && charged ? otherPeriod(event, charge, tracker) : "";
        lines.append(String.format(Locale.ROOT, "\n  %-" + width + "s ", charge.budget().name()))
            .append(usage(charge)).append(matches ? "" : " (not in its scope)")
            .append(period.isEmpty() ? "" : " (the event counted in " + period + ")");
      }
      line = lines.toString();
    }
    return line;
  }

  /** The label of {@code event}'s period of the charged budget when that is not its current one, else "". */
  private static String otherPeriod(TokenUsageEvent event, BudgetCharge charge, TokenTracker tracker) {
    TokenBudget budget = charge.budget();
    PeriodWindow current = tracker.budget(budget.name()).getCurrentPeriod();
    if (current.contains(event.timestamp())) {
      return "";
    }
    return Format.periodLabel(budget.period(), budget.period().windowOf(event.timestamp(), budget.zone()).start());
  }

  /** " 5,500 of 10,000 tokens used (55.0%), 4,500 remaining": a budget's usage after the event. */
  static String usage(BudgetCharge charge) {
    Usage usage = charge.usage();
    String unpriced = usage.unit() == BudgetUnit.USD && usage.counts().unpricedCalls() > 0
        ? "; " + Format.unpriced(usage.counts()) + " this period not counted" : "";
    return " " + usage.usedOfLimit() + " used (" + Format.percent(usage.percentage()) + "), "
        + Format.amount(usage.unit(), usage.remaining()) + " remaining" + unpriced;
  }

  /** " (project app, session s-1, tags env=ci team=core)", or "" without dimensions. */
  static String describeDimensions(TokenUsageEvent event) {
    StringBuilder text = new StringBuilder();
    if (event.project() != null) {
      text.append("project ").append(event.project());
    }
    if (event.session() != null) {
      text.append(text.isEmpty() ? "" : ", ").append("session ").append(event.session());
    }
    if (!event.tags().isEmpty()) {
      text.append(text.isEmpty() ? "" : ", ").append("tags ").append(event.tags().entrySet().stream()
          .map(e -> e.getKey() + '=' + e.getValue()).collect(Collectors.joining(" ")));
    }
    return text.isEmpty() ? "" : " (" + text + ')';
  }
}
