package dev.tokenwatch.app.cli;

import dev.tokenwatch.config.Durations;
import dev.tokenwatch.domain.Committed;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tokenwatch commit ID}: records the actual usage of a reserved call and ends its reservation. */
@Command(name = "commit", description = {
    "Records the usage of a reserved call and ends its reservation.",
    "One store operation; prints what 'track' prints. The usage is recorded in full, also when",
    "it is more than the estimate or the reservation expired (said on stderr)."})
final class CommitCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The id 'tokenwatch reserve' printed.")
  String id;

  @Mixin
  UsageOptions usage;

  @Mixin
  DimensionOptions dimensions;

  CommitCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    String reservation = ReleaseCommand.requireValidId(id, spec.commandLine());
    TokenUsageEvent event = usage.event(dimensions, context.env().clock().now(), spec.commandLine());
    TokenTracker tracker = context.application().tracker();
    Committed committed;
    try {
      committed = tracker.commit(reservation, event);
    } catch (IllegalArgumentException e) {
      // The tracker rejects events stamped too far in the future; store failures are StoreExceptions.
      throw new ParameterException(spec.commandLine(), "--at: " + e.getMessage());
    }
    context.out().println(TrackCommand.confirmation(event, committed.tracked(), tracker));
    if (!committed.held()) {
      context.err().println("tokenwatch: reservation " + reservation + " was no longer open (it expired after "
          + Durations.format(context.config().reservationTimeout())
          + ", was settled already, or is unknown); the usage is recorded all the same");
    }
    return ExitCodes.OK;
  }
}
