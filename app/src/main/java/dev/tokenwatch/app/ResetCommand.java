package dev.tokenwatch.app;

import dev.tokenwatch.domain.PeriodWindow;
import dev.tokenwatch.domain.TokenTracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tokenwatch reset}: wipes the current period. */
@Command(name = "reset", description = {
    "Wipes the current period: its usage, fired alerts and events.",
    "Asks first on a terminal; elsewhere --yes is required."})
final class ResetCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Option(names = {"-y", "--yes"}, description = "Do not ask.")
  boolean yes;

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
    TokenTracker tracker = context.application().tracker();
    PeriodWindow window = tracker.getCurrentPeriod();
    String what = "budget '" + tracker.getBudget().name() + "' for the period " + Format.time(window.start())
        + " to " + Format.time(window.end());
    if (!yes) {
      context.err().print("Reset " + what + "? This wipes " + Format.tokens(tracker.getUsage().used())
          + " tokens of usage and the alerts fired. [y/N] ");
      context.err().flush();
      if (!confirmed()) {
        context.err().println("Nothing was reset.");
        return ExitCodes.OK;
      }
    }
    tracker.reset();
    context.out().println("Reset " + what + ".");
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
