package dev.tokenwatch.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokenwatch status}: the current period at a glance. */
@Command(name = "status", description = {
    "Shows the current period: usage bar, tokens used and left, models, alerts fired.",
    "Also shows when the period ends and how much time is left."})
final class StatusCommand implements Callable<Integer> {

  private final CliContext context;

  @Option(names = "--json", description = "One JSON object (documented in the README).")
  boolean json;

  StatusCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    StatusView view = StatusView.read(context.application().tracker(), context.env().clock().now());
    if (json) {
      context.out().println(view.json());
    } else {
      context.out().print(view.text(new Format(context.env().colour())));
    }
    return ExitCodes.OK;
  }
}
