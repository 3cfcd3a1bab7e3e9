package dev.tokenwatch.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level {@code tokenwatch} command; the work is done by its subcommands. */
@Command(
    name = "tokenwatch",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    scope = ScopeType.INHERIT,
    description = {"Tracks LLM token usage against a budget per calendar period and alerts at thresholds.",
        "Without a command: report daily --since this-month (this month's usage per day and model,",
        "after reading Claude Code's logs or the configured sources)."},
    synopsisSubcommandLabel = "COMMAND",
    exitCodeListHeading = "%nExit codes:%n",
    // The same lines as ExitCodes.HELP (an annotation needs them as literals).
    exitCodeList = {
        "0:success",
        "1:check: usage at or over the ratio; reserve: refused by a hard budget; doctor: a notifier failed",
        "2:usage or configuration error",
        "3:store error (cannot open, read or write the usage store)",
        "4:ingest --strict: a malformed line stopped the ingest",
        "70:internal error (a bug; the stack trace is printed)"},
    footerHeading = "%nConfiguration:%n",
    footer = {
        "  Read from --config FILE, else $TOKENWATCH_CONFIG, else ./tokenwatch.yaml,",
        "  else $XDG_CONFIG_HOME/tokenwatch/config.yaml (~/.config/tokenwatch/...).",
        "  Without one: a file store in $XDG_STATE_HOME/tokenwatch",
        "  (~/.local/state/tokenwatch), console alerts, 1,000,000 tokens a month.",
        "  Data goes to stdout; diagnostics and alerts go to stderr."})
final class TokenwatchCommand implements Runnable {

  private final CliContext context;

  @Spec
  CommandSpec spec;

  TokenwatchCommand(CliContext context) {
    this.context = context;
  }

  @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Configuration file (YAML). See the footer of --help for the lookup order.")
  void setConfig(String file) {
    context.setConfigOption(file);
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: use one of "
        + String.join(", ", spec.subcommands().keySet()) + " (tokenwatch --help explains each)");
  }
}
