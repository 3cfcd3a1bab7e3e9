package dev.tokenwatch.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What reading the configuration needs from the world around it: environment variables (for
 * {@code ${NAME}} and the XDG directories), the home directory ({@code ~}) and the working
 * directory (relative paths). The CLI passes its own environment; an embedding passes {@link
 * #system()}; tests pass their own with {@link #of}.
 */
public interface ConfigEnvironment {

  /** Environment variables. */
  Map<String, String> variables();

  /** The user's home directory. */
  Path home();

  /** Where relative paths are resolved when no configuration file gives a base. */
  Path workingDirectory();

  /** This process's environment, home ({@link #home(Map)}) and working directory. */
  static ConfigEnvironment system() {
    Map<String, String> variables = System.getenv();
    return of(variables, home(variables), Path.of("").toAbsolutePath());
  }

  /** An environment of the given values. */
  static ConfigEnvironment of(Map<String, String> variables, Path home, Path workingDirectory) {
    return new Fixed(Map.copyOf(variables), Objects.requireNonNull(home, "home"),
        Objects.requireNonNull(workingDirectory, "workingDirectory"));
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

  /** A variable's value; unset and empty count as absent. */
  default Optional<String> variable(String name) {
    String value = variables().get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** {@code $XDG_STATE_HOME/tokenwatch}, else {@code ~/.local/state/tokenwatch}. */
  default Path defaultStateDirectory() {
    return xdg("XDG_STATE_HOME", ".local/state").resolve("tokenwatch");
  }

  /** {@code $XDG_CONFIG_HOME/tokenwatch/config.yaml}, else {@code ~/.config/tokenwatch/config.yaml}. */
  default Path userConfigFile() {
    return xdgConfigHome().resolve("tokenwatch").resolve("config.yaml");
  }

  /** {@code $XDG_CONFIG_HOME}, else {@code ~/.config}. */
  default Path xdgConfigHome() {
    return xdg("XDG_CONFIG_HOME", ".config");
  }

  /** A path from the command line: {@code ~/} expanded, relative paths against the working directory. */
  default Path resolve(String path) {
    return workingDirectory().resolve(expandHome(path)).normalize();
  }

  /** {@code ~} and {@code ~/...} to the home directory; other paths unchanged. */
  default String expandHome(String path) {
    if (path.equals("~")) {
      return home().toString();
    }
    if (path.startsWith("~/")) {
      return home().resolve(path.substring(2)).toString();
    }
    return path;
  }

  private Path xdg(String variable, String fallbackUnderHome) {
    // The XDG spec says relative values are invalid and must be ignored.
    return variable(variable).map(Path::of).filter(Path::isAbsolute).orElse(home().resolve(fallbackUnderHome));
  }

  /** The environment {@link #of} returns. */
  record Fixed(Map<String, String> variables, Path home, Path workingDirectory) implements ConfigEnvironment {}
}
