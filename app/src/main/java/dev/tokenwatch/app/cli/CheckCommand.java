package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.view.Format;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.Ratio;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TrackedBudget;
import dev.tokenwatch.domain.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code tokenwatch check}: an exit code for shell scripts and CI jobs. */
@Command(name = "check", description = {
    "Exits 1 when a budget's usage is at or over a ratio of its limit (for scripts).",
    "Exits 0 while every budget's usage (or --budget NAME's) is under a ratio of its limit,",
    "1 if any is at or over it, naming which.",
    "For scripts and CI jobs: tokenwatch check --at-most 0.9 && run-expensive-job"})
final class CheckCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Option(names = "--at-most", paramLabel = "RATIO", converter = RatioConverter.class, defaultValue = "1.0",
      description = "Ratio of the limit, as 0.8 or 80%% (above 0, at most 10; default: ${DEFAULT-VALUE}).")
  double atMost;

  @Option(names = "--budget", paramLabel = "NAME", description = "Only this budget (default: every budget).")
  String budget;

  @Mixin
  ImplicitIngest ingest;

  CheckCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    List<String> over = new ArrayList<>();
    List<TrackedBudget> budgets = BudgetSelection.select(context, budget, spec.commandLine());
    ingest.run(context); // after --budget is checked; the usage below is read after it
    for (TrackedBudget tracked : budgets) {
      Usage usage = tracked.getUsage();
      TokenBudget checked = tracked.getBudget();
      boolean reached = usage.used() >= checked.amountAt(atMost);
      String unpriced = checked.unit() == BudgetUnit.USD && usage.counts().unpricedCalls() > 0
          ? "; " + Format.unpriced(usage.counts()) + " not counted" : "";
      context.out().println((reached ? "over: " : "ok: ") + Format.percent(usage.percentage()) + " of budget '"
          + checked.name() + "' used (" + usage.usedOfLimit() + unpriced + "), "
          + (reached ? "at or over " : "under ") + Format.percent(atMost));
      if (reached) {
        over.add(checked.name());
      }
    }
    if (budgets.size() > 1 && !over.isEmpty()) {
      context.out().println("over: " + over.size() + " of " + budgets.size() + " budgets at or over "
          + Format.percent(atMost) + ": " + String.join(", ", over));
    }
    return over.isEmpty() ? ExitCodes.OK : ExitCodes.OVER;
  }

  /** "0.8" or "80%" to 0.8, by the rule of a budget's thresholds ({@link Ratio}). */
  static final class RatioConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      try {
        return Ratio.parse(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
