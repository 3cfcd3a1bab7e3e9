package dev.tokenwatch.app.cli;

import dev.tokenwatch.domain.reservation.ReservationRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tokenwatch release ID}: ends a reservation without usage (the call failed or was not made). */
@Command(name = "release", description = {
    "Ends a reservation without usage (the call failed or was not made).",
    "Says whether it was still open; exits 0 either way."})
final class ReleaseCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The id 'tokenwatch reserve' printed.")
  String id;

  ReleaseCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    String reservation = requireValidId(id, spec.commandLine());
    boolean open = context.application().tracker().release(reservation);
    context.out().println(open ? "Released reservation " + reservation
        : "Reservation " + reservation + " was not open (it expired, was settled already, or is unknown); "
            + "nothing to release");
    return ExitCodes.OK;
  }

  /** {@code id} checked as the store checks it; a bad one is a usage error naming ID. */
  static String requireValidId(String id, CommandLine commandLine) {
    try {
      return ReservationRequest.requireValidId(id);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, "ID: " + e.getMessage());
    }
  }
}
