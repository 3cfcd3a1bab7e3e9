package dev.tokenwatch.app.cli;

import com.google.inject.ProvisionException;
import dev.tokenwatch.app.logging.Redaction;
import dev.tokenwatch.app.wiring.StoreException;
import dev.tokenwatch.config.ConfigException;
import dev.tokenwatch.config.DidYouMean;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Builds the {@code tokenwatch} command line. Subcommands are plain objects added here, so a new
 * command is one class and one {@link #SUBCOMMANDS} entry; exceptions become the documented exit
 * codes in one place. Picocli reads a command's annotations when it is added, which costs start-up
 * time per command; a run that names its command adds only that one.
 */
public final class Cli {

  /** Creates one subcommand object for a context. */
  @FunctionalInterface
  interface SubcommandFactory {
    Object create(CliContext context);
  }

  /** Every subcommand by its name (the name in its {@code @Command}), in help order. */
  static final Map<String, SubcommandFactory> SUBCOMMANDS;

  static {
    Map<String, SubcommandFactory> byName = new LinkedHashMap<>();
    byName.put("track", TrackCommand::new);
    byName.put("status", StatusCommand::new);
    byName.put("statusline", StatuslineCommand::new);
    byName.put("history", HistoryCommand::new);
    byName.put("check", CheckCommand::new);
    byName.put("reserve", ReserveCommand::new);
    byName.put("commit", CommitCommand::new);
    byName.put("release", ReleaseCommand::new);
    byName.put("reset", ResetCommand::new);
    byName.put("config", ConfigCommand::new);
    byName.put("doctor", DoctorCommand::new);
    byName.put("demo", DemoCommand::new);
    byName.put("ingest", IngestCommand::new);
    byName.put("report", ReportCommand::new);
    byName.put("prices", PricesCommand::new);
    SUBCOMMANDS = Collections.unmodifiableMap(byName);
  }

  private Cli() {}

  /** The command line with every subcommand; output and errors go to the context's streams. */
  static CommandLine create(CliContext context) {
    return create(context, SUBCOMMANDS.values());
  }

  /** The command line for running {@code args}: only the subcommand they name, if they name one. */
  static CommandLine createFor(String[] args, CliContext context) {
    SubcommandFactory named = SUBCOMMANDS.get(commandWord(args));
    return create(context, named == null ? SUBCOMMANDS.values() : List.of(named));
  }

  private static CommandLine create(CliContext context, Collection<SubcommandFactory> subcommands) {
    CommandLine commandLine = new CommandLine(new TokenwatchCommand(context));
    for (SubcommandFactory factory : subcommands) {
      commandLine.addSubcommand(factory.create(context));
    }
    commandLine.setOut(new PrintWriter(context.out(), true));
    commandLine.setErr(new PrintWriter(context.err(), true));
    commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(context.env().colour() ? Ansi.ON : Ansi.OFF));
    commandLine.setExecutionExceptionHandler((exception, cl, parseResult) -> exitCodeFor(exception, context));
    commandLine.setParameterExceptionHandler((exception, args) -> usageError(exception, args, context.err()));
    return commandLine;
  }

  /**
   * What plain {@code tokenwatch} runs (no command, only options such as {@code --config} or {@code
   * --json}): this month's usage per day and model, after reading the usage sources, the answer a
   * new user wants first (usage help is one {@code --help} away).
   */
  static final List<String> DEFAULT_COMMAND = List.of("report", "daily", "--since", "this-month");
  /** Options of {@code report} with a value, so {@code tokenwatch --since 7d} is the default command too. */
  private static final List<String> REPORT_VALUE_OPTIONS = List.of("--since", "--until", "--timezone", "--by",
      "--model", "--project", "--session", "--tag", "--budget");

  /** Runs {@code args} and returns the exit code; resources are closed before it returns. */
  public static int run(String[] args, CliContext context) {
    String[] effective = withDefaultCommand(args);
    try (context) {
      return createFor(effective, context).execute(effective);
    } catch (StoreException closingFailed) {
      context.err().println("tokenwatch: " + Redaction.redact(closingFailed.getMessage()));
      return ExitCodes.STORE;
    }
  }

  /** {@code args} with {@link #DEFAULT_COMMAND} before them when they name no command and ask for no help. */
  static String[] withDefaultCommand(String[] args) {
    List<String> given = List.of(args);
    if (given.stream().anyMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version"))) {
      return args;
    }
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") || REPORT_VALUE_OPTIONS.contains(args[i])) {
        i++; // its value
      } else if (!args[i].startsWith("-")) {
        return args; // a command (or a mistyped one: picocli names it)
      }
    }
    boolean since = given.stream().anyMatch(a -> a.equals("--since") || a.startsWith("--since="));
    List<String> effective = new java.util.ArrayList<>(since ? DEFAULT_COMMAND.subList(0, 2) : DEFAULT_COMMAND);
    effective.addAll(given);
    return effective.toArray(String[]::new);
  }

  /** The first argument that is neither an option nor the value of {@code --config}, or "". */
  static String commandWord(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        i++;
      } else if (!args[i].startsWith("-")) {
        return args[i];
      }
    }
    return "";
  }

  /**
   * A command line picocli cannot parse: the one line that says what is wrong (an unknown option
   * first, with the closest known one, since it often causes the other errors) and where help is,
   * not the whole help.
   */
  static int usageError(ParameterException exception, String[] args, PrintStream err) {
    CommandLine command = exception.getCommandLine();
    String message = unknownOption(command, args).or(() -> unknownCommand(exception)).orElse(exception.getMessage());
    err.println("tokenwatch: " + Redaction.redact(message));
    err.println("See '" + command.getCommandSpec().qualifiedName(" ") + " --help'.");
    return ExitCodes.USAGE;
  }

  private static Optional<String> unknownCommand(ParameterException exception) {
    CommandLine command = exception.getCommandLine();
    if (!(exception instanceof UnmatchedArgumentException unmatched)
        || command.getSubcommands().isEmpty() || unmatched.getUnmatched().isEmpty()) {
      return Optional.empty();
    }
    String word = unmatched.getUnmatched().get(0);
    return Optional.of("unknown command '" + word + "'" + DidYouMean.closest(word,
        List.copyOf(command.getSubcommands().keySet())).map(m -> " (did you mean " + m + "?)").orElse(""));
  }

  private static Optional<String> unknownOption(CommandLine command, String[] args) {
    Set<String> known = new TreeSet<>(command.getCommandSpec().optionsMap().keySet());
    known.addAll(command.getCommandSpec().root().optionsMap().keySet());
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      String option = arg.indexOf('=') > 0 ? arg.substring(0, arg.indexOf('=')) : arg;
      if (option.matches("--?[A-Za-z][A-Za-z0-9-]*") && !known.contains(option)) {
        return Optional.of("unknown option '" + option + "'" + DidYouMean.closest(option,
            List.copyOf(known)).map(m -> " (did you mean " + m + "?)").orElse(""));
      }
    }
    return Optional.empty();
  }

  private static int exitCodeFor(Exception exception, CliContext context) {
    Throwable failure = unwrap(exception);
    PrintStream err = context.err();
    if (failure instanceof ConfigException) {
      err.println("tokenwatch: " + Redaction.redact(failure.getMessage()));
      return ExitCodes.USAGE;
    }
    if (failure instanceof ParameterException bad) {
      // Thrown by a command that checks its options beyond what picocli can (e.g. --at in the future).
      err.println("tokenwatch: " + Redaction.redact(bad.getMessage()));
      err.println("See '" + bad.getCommandLine().getCommandSpec().qualifiedName(" ") + " --help'.");
      return ExitCodes.USAGE;
    }
    if (failure instanceof StoreException) {
      err.println("tokenwatch: " + Redaction.redact(failure.getMessage()));
      return ExitCodes.STORE;
    }
    // A bug: the stack trace helps its report; secrets are masked in it as everywhere.
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    err.println("tokenwatch: internal error: " + Redaction.redact(trace.toString().stripTrailing()));
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
