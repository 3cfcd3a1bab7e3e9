package dev.tokenwatch.app;

import com.google.inject.ProvisionException;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.ParameterException;

/**
 * Builds the {@code tokenwatch} command line. Subcommands are plain objects added here, so a new
 * command is one class and one {@link #SUBCOMMANDS} entry; exceptions become the documented exit
 * codes in one place.
 */
final class Cli {

  /** Creates one subcommand object for a context. */
  @FunctionalInterface
  interface SubcommandFactory {
    Object create(CliContext context);
  }

  static final java.util.List<SubcommandFactory> SUBCOMMANDS = java.util.List.of(
      TrackCommand::new,
      StatusCommand::new,
      HistoryCommand::new,
      CheckCommand::new,
      ResetCommand::new,
      ConfigCommand::new,
      DoctorCommand::new,
      DemoCommand::new,
      IngestCommand::new,
      ReportCommand::new);

  private Cli() {}

  /** The command line for {@code context}; output and errors go to the context's streams. */
  static CommandLine create(CliContext context) {
    CommandLine commandLine = new CommandLine(new TokenwatchCommand(context));
    for (SubcommandFactory factory : SUBCOMMANDS) {
      commandLine.addSubcommand(factory.create(context));
    }
    commandLine.setOut(new PrintWriter(context.out(), true));
    commandLine.setErr(new PrintWriter(context.err(), true));
    commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(context.env().colour() ? Ansi.ON : Ansi.OFF));
    commandLine.setExecutionExceptionHandler((exception, cl, parseResult) -> exitCodeFor(exception, context));
    return commandLine;
  }

  /** Runs {@code args} and returns the exit code; resources are closed before it returns. */
  static int run(String[] args, CliContext context) {
    try (context) {
      return create(context).execute(args);
    } catch (StoreException closingFailed) {
      context.err().println("tokenwatch: " + closingFailed.getMessage());
      return ExitCodes.STORE;
    }
  }

  private static int exitCodeFor(Exception exception, CliContext context) {
    Throwable failure = unwrap(exception);
    PrintStream err = context.err();
    if (failure instanceof ConfigException) {
      err.println("tokenwatch: " + failure.getMessage());
      return ExitCodes.USAGE;
    }
    if (failure instanceof ParameterException bad) {
      // Thrown by a command that checks its options beyond what picocli can (e.g. --at in the future).
      err.println("tokenwatch: " + bad.getMessage());
      err.println("Try 'tokenwatch " + bad.getCommandLine().getCommandName() + " --help' for more information.");
      return ExitCodes.USAGE;
    }
    if (failure instanceof StoreException) {
      err.println("tokenwatch: " + failure.getMessage());
      return ExitCodes.STORE;
    }
    err.println("tokenwatch: internal error: " + failure);
    failure.printStackTrace(err);
    return ExitCodes.INTERNAL;
  }

  /** Guice wraps what a provider throws; the cause is what the user needs to see. */
  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while (current instanceof ProvisionException && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
