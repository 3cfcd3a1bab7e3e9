package dev.tokenwatch.app.env;

import dev.tokenwatch.config.ConfigEnvironment;
import dev.tokenwatch.domain.port.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the application reads from the world around it: environment variables, the home and working
 * directories, the clock, stdin and whether the streams are terminals. Injected so tests run the
 * whole CLI in-process with their own environment.
 *
 * @param variables environment variables
 * @param home the user's home directory
 * @param workingDirectory where relative paths given on the command line are resolved
 * @param clock the current time
 * @param stdin where {@code reset} reads its confirmation
 * @param stdoutIsTerminal whether stdout is an interactive terminal (colour, prompts)
 * @param stdinIsTerminal whether stdin is an interactive terminal (prompts)
 * @param stderrIsTerminal whether stderr is an interactive terminal (the progress bar of {@code ingest})
 */
public record AppEnvironment(
    Map<String, String> variables,
    Path home,
    Path workingDirectory,
    Clock clock,
    InputStream stdin,
    boolean stdoutIsTerminal,
    boolean stdinIsTerminal,
    boolean stderrIsTerminal) implements ConfigEnvironment {

  public AppEnvironment {
    variables = Map.copyOf(variables);
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(stdin, "stdin");
  }

  /** The environment of this process. */
  public static AppEnvironment system() {
    // System.console() is non-null only when stdin and stdout are both terminals.
    boolean console = System.console() != null;
    return new AppEnvironment(System.getenv(), home(System.getenv()),
        Path.of("").toAbsolutePath(), Clock.system(), System.in, console, console, stderrIsTerminal(console));
  }

  /** {@link ConfigEnvironment#home(Map)}. */
  static Path home(Map<String, String> variables) {
    return ConfigEnvironment.home(variables);
  }

  /**
   * Java 17 cannot ask about stderr directly. Where {@code /proc} exists (Linux), file descriptor 2
   * is a terminal when it links to a terminal device; elsewhere stderr is taken to be a terminal
   * when stdin and stdout are ({@code console}), which holds for an interactive shell.
   */
  private static boolean stderrIsTerminal(boolean console) {
    Path fd2 = Path.of("/proc/self/fd/2");
    if (!Files.isSymbolicLink(fd2)) {
      return console;
    }
    try {
      String target = Files.readSymbolicLink(fd2).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | SecurityException e) {
      return console; // unreadable /proc: the same guess as without it
    }
  }

  /** Colour on stdout: only on a terminal and never with {@code NO_COLOR} (https://no-color.org). */
  public boolean colour() {
    return stdoutIsTerminal && variable("NO_COLOR").isEmpty();
  }
}
