package dev.tokenwatch.app.cli;

import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.ConfigException;
import dev.tokenwatch.config.DidYouMean;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TrackedBudget;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code --budget NAME} of {@code status}, {@code check}, {@code reset} and {@code report}: the
 * configured budget of that name, or a usage error listing the names there are.
 */
final class BudgetSelection {

  private BudgetSelection() {}

  /**
   * The configured budget named {@code name}, checked against the configuration before any store is
   * opened.
   *
   * @throws ParameterException naming the budgets there are (and the closest name, if it looks like a
   *     typo)
   */
  static TokenBudget configured(AppConfig config, String name, CommandLine commandLine) {
    for (TokenBudget budget : config.budgets()) {
      if (budget.name().equals(name)) {
        return budget;
      }
    }
    List<String> names = names(config);
    Optional<String> closest = DidYouMean.closest(name, names);
    throw new ParameterException(commandLine, "--budget: no budget is named " + ConfigException.quote(name)
        + closest.map(c -> "; did you mean " + c + "?").orElse("") + " (the budgets of " + config.source() + ": "
        + String.join(", ", names) + ")");
  }

  /** The tracked budget named {@code name}, or every budget of the tracker when {@code name} is null. */
  static List<TrackedBudget> select(CliContext context, String name, CommandLine commandLine) {
    if (name == null) {
      return context.application().tracker().budgets();
    }
    configured(context.config(), name, commandLine);
    TokenTracker tracker = context.application().tracker();
    return List.of(tracker.budget(name));
  }

  /** The budgets' names, in the configuration's order. */
  static List<String> names(AppConfig config) {
    return config.budgets().stream().map(TokenBudget::name).toList();
  }
}
