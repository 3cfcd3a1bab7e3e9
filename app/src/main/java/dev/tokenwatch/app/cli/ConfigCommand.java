package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.audit.FileAuditTrail;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.Durations;
import dev.tokenwatch.config.NotifierConfig;
import dev.tokenwatch.config.NotifierSettings;
import dev.tokenwatch.config.Secret;
import dev.tokenwatch.config.SourceConfig;
import dev.tokenwatch.config.StoreConfig;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.cost.ModelPrice;
import dev.tokenwatch.domain.cost.Prices;
import dev.tokenwatch.domain.cost.Rate;
import dev.tokenwatch.ingest.CostUsd;
import java.util.ArrayList;
import java.util.List;
import java.math.BigDecimal;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code tokenwatch config}: the effective configuration, secrets redacted. */
@Command(name = "config", description = {
    "Prints the effective configuration, secrets redacted.",
    "Shows where it came from as YAML; exits 2 with the error if it is invalid."})
final class ConfigCommand implements Callable<Integer> {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+=,-]*");
  private static final Pattern YAML_KEYWORD =
      Pattern.compile("(?i)true|false|yes|no|on|off|null|~|[0-9][0-9_.eE+-]*");

  private final CliContext context;

  ConfigCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    context.out().print(yaml(context.config()));
    return ExitCodes.OK;
  }

  static String yaml(AppConfig config) {
    StringBuilder s = new StringBuilder();
    s.append("# source: ").append(config.source()).append('\n');
    s.append("# audit log: ").append(config.stateDirectory().resolve(FileAuditTrail.FILE_NAME)).append('\n');
    s.append("budgets:\n");
    for (TokenBudget b : config.budgets()) {
      budget(s, b);
    }
    s.append("store:\n");
    s.append("  type: ").append(config.store().type()).append('\n');
    if (config.store() instanceof StoreConfig.File file) {
      s.append("  path: ").append(scalar(file.path().toString())).append('\n');
    } else if (config.store() instanceof StoreConfig.Jdbc jdbc) {
      s.append("  url: ").append(scalar(jdbc.redactedUrl())).append('\n');
      jdbc.user().ifPresent(u -> s.append("  user: ").append(scalar(u)).append('\n'));
      jdbc.password().ifPresent(p -> s.append("  password: ").append(scalar(Secret.REDACTED)).append('\n'));
      jdbc.schema().ifPresent(v -> s.append("  schema: ").append(scalar(v)).append('\n'));
    }
    NotifierSettings notifiers = config.notifierSettings();
    s.append("notifiers:\n");
    s.append("  ").append(NotifierSettings.GIVE_UP_AFTER_KEY).append(": ")
        .append(Durations.format(notifiers.giveUpAfter())).append('\n');
    s.append("  ").append(NotifierSettings.WAIT_ON_EXIT_KEY).append(": ")
        .append(Durations.format(notifiers.waitOnExit())).append('\n');
    if (notifiers.sinks().isEmpty()) {
      s.append("  sinks: []\n");
    } else {
      s.append("  sinks:\n");
      for (NotifierConfig notifier : notifiers.sinks()) {
        s.append("    - type: ").append(notifier.type()).append('\n');
        if (notifier instanceof NotifierConfig.Slack slack) {
          s.append("      webhookUrl: ").append(scalar(slack.redactedUrl())).append('\n');
        }
      }
    }
    s.append(AppConfig.RESERVATION_TIMEOUT_KEY).append(": ").append(Durations.format(config.reservationTimeout()))
        .append('\n');
    sources(s, config.sources());
    if (!config.prices().isEmpty()) {
      s.append("prices:\n");
      for (ModelPrice model : config.prices()) {
        Prices p = model.latest();
        List<String> fields = new ArrayList<>();
        field(fields, "input", p.input());
        field(fields, "output", p.output());
        field(fields, "cacheWrite", p.cacheWrite());
        field(fields, "cacheWrite1h", p.cacheWrite1h());
        field(fields, "cacheRead", p.cacheRead());
        s.append("  ").append(scalar(model.model())).append(": {").append(String.join(", ", fields)).append("}\n");
      }
    }
    return s.toString();
  }

  /** {@code sources:}, each with where it came from and whether it exists now. */
  private static void sources(StringBuilder s, List<SourceConfig> sources) {
    if (sources.isEmpty()) {
      s.append("sources: []\n");
      return;
    }
    s.append("sources:\n");
    for (SourceConfig source : sources) {
      s.append("  - {type: ").append(source.type()).append(", path: ").append(scalar(source.path().toString()))
          .append("}  # ").append(source.origin()).append(java.nio.file.Files.exists(source.path()) ? ""
              : source.optional() ? "; does not exist: skipped" : "; does not exist").append('\n');
    }
  }

  /** One element of {@code budgets:}, in the form the loader reads back. */
  private static void budget(StringBuilder s, TokenBudget b) {
    s.append("  - name: ").append(scalar(b.name())).append('\n');
    s.append("    limit: ").append(b.unit() == BudgetUnit.USD
        ? CostUsd.of(b.limit()).toPlainString() + " USD" : b.limit()).append('\n');
    s.append("    period: ").append(b.period().label()).append('\n');
    s.append("    alertThresholds: [").append(b.alertThresholds().stream()
        .map(t -> BigDecimal.valueOf(t).toPlainString()).collect(Collectors.joining(", ")))
        .append("]\n");
    s.append("    zone: ").append(scalar(b.zone().getId())).append('\n');
    s.append("    historySize: ").append(b.historySize()).append('\n');
    if (b.hard()) {
      s.append("    mode: hard\n");
    }
    if (!b.forecastThresholds().isEmpty()) {
      s.append("    forecastThresholds: [").append(b.forecastThresholds().stream()
          .map(t -> BigDecimal.valueOf(t).toPlainString()).collect(Collectors.joining(", "))).append("]\n");
      s.append("    forecastMinimum: ").append(b.unit() == BudgetUnit.USD
          ? CostUsd.of(b.forecastMinimum()).toPlainString() + " USD"
          : b.forecastMinimum()).append('\n');
    }
    UsageFilter scope = b.scope();
    if (!scope.isAny()) {
      List<String> parts = new ArrayList<>();
      if (!scope.models().isEmpty()) {
        parts.add("models: [" + scope.models().stream().map(m -> scalar(m.text())).collect(Collectors.joining(", "))
            + "]");
      }
      if (scope.project() != null) {
        parts.add("project: " + scalar(scope.project()));
      }
      if (scope.session() != null) {
        parts.add("session: " + scalar(scope.session()));
      }
      if (!scope.tags().isEmpty()) {
        parts.add("tags: {" + scope.tags().entrySet().stream().map(t -> t.getKey() + ": " + scalar(t.getValue()))
            .collect(Collectors.joining(", ")) + "}");
      }
      s.append("    scope: {").append(String.join(", ", parts)).append("}\n");
    }
  }

  private static void field(List<String> fields, String name, Rate rate) {
    if (rate != null) {
      fields.add(name + ": " + PricesCommand.rate(rate));
    }
  }

  /** A YAML scalar: plain when unambiguous, else double-quoted with escapes. */
  static String scalar(String value) {
    if (PLAIN.matcher(value).matches() && !YAML_KEYWORD.matcher(value).matches()) {
      return value;
    }
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20) {
            quoted.append(String.format("\\x%02x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
