package dev.tokenwatch.app.cli;

import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.ledger.ModelGlob;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code report --budget NAME}: the report's filter becomes the budget's scope (with any {@code
 * --model}, {@code --project}, {@code --session} or {@code --tag} that narrows it further), and the
 * header names the budget's limit per period.
 *
 * @param filter the report's filter
 * @param budget the budget named, or {@code null} without {@code --budget}
 */
record BudgetReportScope(UsageFilter filter, TokenBudget budget) {

  /**
   * The scope of the budget named {@code name} ({@code null}: none, {@code given} unchanged) combined
   * with the filter options {@code given}.
   *
   * @throws ParameterException if no budget has that name (listing the names), or an option
   *     contradicts the budget's scope
   */
  static BudgetReportScope of(AppConfig config, String name, UsageFilter given, CommandLine commandLine) {
    if (name == null) {
      return new BudgetReportScope(given, null);
    }
    TokenBudget budget = BudgetSelection.configured(config, name, commandLine);
    UsageFilter scope = budget.scope();
    String conflict = "--budget " + name + " counts only " + scope + "; ";
    UsageFilter combined = scope;
    if (!given.models().isEmpty()) {
      if (!scope.models().isEmpty() && !globs(scope).equals(globs(given))) {
        throw new ParameterException(commandLine, conflict + "--model " + String.join(" --model ", globs(given))
            + " contradicts it (leave --model out, or report without --budget)");
      }
      combined = combined.withModels(globs(given).stream().sorted().toList());
    }
    combined = combined.withProject(one(commandLine, conflict, "--project", scope.project(), given.project()));
    combined = combined.withSession(one(commandLine, conflict, "--session", scope.session(), given.session()));
    for (Map.Entry<String, String> tag : given.tags().entrySet()) {
      String value = one(commandLine, conflict, "--tag " + tag.getKey() + "=", scope.tags().get(tag.getKey()),
          tag.getValue());
      combined = combined.withTag(tag.getKey(), value);
    }
    return new BudgetReportScope(combined, budget);
  }

  /** "Budget org-month: $2,000.00 per monthly period\n", or "" without {@code --budget}. */
  String header() {
    return budget == null ? "" : "Budget " + budget.name() + ": " + budget.unit().format(budget.limit()) + " per "
        + budget.period().label() + " period\n";
  }

  private static Set<String> globs(UsageFilter filter) {
    return filter.models().stream().map(ModelGlob::text).collect(Collectors.toSet());
  }

  /** The scope's value of a dimension, or the option's if the scope leaves it open; both must agree. */
  private static String one(CommandLine commandLine, String conflict, String option, String scoped, String given) {
    if (scoped != null && given != null && !Objects.equals(scoped, given)) {
      throw new ParameterException(commandLine, conflict + option + (option.endsWith("=") ? "" : " ") + given
          + " contradicts it (leave it out, or report without --budget)");
    }
    return scoped != null ? scoped : given;
  }
}
