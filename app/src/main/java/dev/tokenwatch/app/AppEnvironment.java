package dev.tokenwatch.app;

import dev.tokenwatch.domain.port.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
record AppEnvironment(
    Map<String, String> variables,
    Path home,
    Path workingDirectory,
    Clock clock,
    InputStream stdin,
    boolean stdoutIsTerminal,
    boolean stdinIsTerminal,
    boolean stderrIsTerminal) {

  AppEnvironment {
    variables = Map.copyOf(variables);
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(stdin, "stdin");
  }

  /** The environment of this process. */
  static AppEnvironment system() {
    // System.console() is non-null only when stdin and stdout are both terminals.
    boolean console = System.console() != null;
    return new AppEnvironment(System.getenv(), home(System.getenv()),
        Path.of("").toAbsolutePath(), Clock.system(), System.in, console, console, stderrIsTerminal(console));
  }

  /**
   * {@code $HOME} when set to an absolute path (so {@code HOME=/tmp/x tokenwatch} writes there, as
   * every Unix tool does), else the JVM's {@code user.home}.
   */
  static Path home(Map<String, String> variables) {
    String home = variables.get("HOME");
    return home != null && !home.isEmpty() && Path.of(home).isAbsolute() ? Path.of(home)
        : Path.of(System.getProperty("user.home"));
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

  /** A variable's value; unset and empty count as absent. */
  Optional<String> variable(String name) {
    String value = variables.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** Colour on stdout: only on a terminal and never with {@code NO_COLOR} (https://no-color.org). */
  boolean colour() {
    return stdoutIsTerminal && variable("NO_COLOR").isEmpty();
  }

  /** {@code $XDG_STATE_HOME/tokenwatch}, else {@code ~/.local/state/tokenwatch}. */
  Path defaultStateDirectory() {
    return xdg("XDG_STATE_HOME", ".local/state").resolve("tokenwatch");
  }

  /** {@code $XDG_CONFIG_HOME/tokenwatch/config.yaml}, else {@code ~/.config/tokenwatch/config.yaml}. */
  Path userConfigFile() {
    return xdg("XDG_CONFIG_HOME", ".config").resolve("tokenwatch").resolve("config.yaml");
  }

  /** {@code $XDG_CONFIG_HOME}, else {@code ~/.config}. */
  Path xdgConfigHome() {
    return xdg("XDG_CONFIG_HOME", ".config");
  }

  /** A path from the command line: {@code ~/} expanded, relative paths against the working directory. */
  Path resolve(String path) {
    return workingDirectory.resolve(expandHome(path)).normalize();
  }

  /** {@code ~} and {@code ~/...} to the home directory; other paths unchanged. */
  String expandHome(String path) {
    if (path.equals("~")) {
      return home.toString();
    }
    if (path.startsWith("~/")) {
      return home.resolve(path.substring(2)).toString();
    }
    return path;
  }

  private Path xdg(String variable, String fallbackUnderHome) {
    // The XDG spec says relative values are invalid and must be ignored.
    return variable(variable).map(Path::of).filter(Path::isAbsolute).orElse(home.resolve(fallbackUnderHome));
  }
}
