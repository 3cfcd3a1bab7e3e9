package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.view.Format;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.domain.PeriodWindow;
import dev.tokenwatch.domain.TrackedBudget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tokenwatch reset}: wipes the current period. */
@Command(name = "reset", description = {
    "Wipes a budget's current period: its usage, fired alerts and events.",
    "With several budgets, name one with --budget NAME or pass --all.",
    "Asks first on a terminal; elsewhere --yes is required."})
final class ResetCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Option(names = {"-y", "--yes"}, description = "Do not ask.")
  boolean yes;

  @Option(names = "--budget", paramLabel = "NAME", description = "Reset this budget's current period.")
  String budget;

  @Option(names = "--all", description = "Reset the current period of every budget.")
  boolean all;

  ResetCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    boolean canAsk = context.env().stdinIsTerminal();
    if (!yes && !canAsk) {
      throw new ParameterException(spec.commandLine(),
          "reset wipes the current period; pass --yes to confirm (stdin is not a terminal, so it cannot ask)");
    }
    if (budget != null && all) {
      throw new ParameterException(spec.commandLine(), "--budget and --all exclude each other: --budget NAME resets "
          + "one budget's period, --all every budget's");
    }
    AppConfig config = context.config();
    if (budget == null && !all && config.budgets().size() > 1) {
      throw new ParameterException(spec.commandLine(), "reset needs --budget NAME or --all: " + config.source()
          + " has " + config.budgets().size() + " budgets (" + String.join(", ", BudgetSelection.names(config)) + ")");
    }
    List<TrackedBudget> budgets = BudgetSelection.select(context, budget, spec.commandLine());
    List<String> what = new ArrayList<>();
    for (TrackedBudget tracked : budgets) {
      PeriodWindow window = tracked.getCurrentPeriod();
      what.add("budget '" + tracked.getBudget().name() + "' for the period " + Format.time(window.start()) + " to "
          + Format.time(window.end()));
    }
    if (!yes) {
      String wiped = budgets.stream().map(b -> b.getBudget().unit().format(b.getUsage().used()))
          .collect(Collectors.joining(", "));
      context.err().print("Reset " + String.join("; ", what) + "? This wipes " + wiped + " of usage and the alerts "
          + "fired" + (budgets.size() < config.budgets().size()
              ? "; its events leave the ledger, so other budgets counting them lose them too" : "") + ". [y/N] ");
      context.err().flush();
      if (!confirmed()) {
        context.err().println("Nothing was reset.");
        return ExitCodes.OK;
      }
    }
    for (int i = 0; i < budgets.size(); i++) {
      budgets.get(i).reset();
      context.out().println("Reset " + what.get(i) + ".");
    }
    return ExitCodes.OK;
  }

  private boolean confirmed() {
    try {
      String answer = new BufferedReader(new InputStreamReader(context.env().stdin(), StandardCharsets.UTF_8))
          .readLine();
      String normalised = answer == null ? "" : answer.trim().toLowerCase(Locale.ROOT);
      return normalised.equals("y") || normalised.equals("yes");
    } catch (IOException e) {
      throw new UncheckedIOException("reading the answer from stdin failed", e);
    }
  }
}
