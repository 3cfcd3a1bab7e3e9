package dev.tokenwatch.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the configuration file is: {@code --config FILE}, else {@code $TOKENWATCH_CONFIG}, else
 * {@code ./tokenwatch.yaml}, else {@code $XDG_CONFIG_HOME/tokenwatch/config.yaml} (else {@code
 * ~/.config/tokenwatch/config.yaml}); none at all is not an error. A file named by the option or
 * the variable must exist.
 */
final class ConfigFiles {

  static final String ENV_CONFIG = "TOKENWATCH_CONFIG";
  static final String LOCAL_FILE = "tokenwatch.yaml";

  /** A file found, with its text and its name as messages give it. */
  record Found(Path file, String label, String text) {}

  private final ConfigEnvironment env;

  ConfigFiles(ConfigEnvironment env) {
    this.env = env;
  }

  /** The file to read, if any; {@code explicitFile} is the {@code --config} option, if given. */
  Optional<Found> find(Optional<String> explicitFile) {
    if (explicitFile.isPresent()) {
      return Optional.of(required(explicitFile.get(), "given with --config"));
    }
    Optional<String> fromEnv = env.variable(ENV_CONFIG);
    if (fromEnv.isPresent()) {
      return Optional.of(required(fromEnv.get(), "named by $" + ENV_CONFIG));
    }
    Path local = env.workingDirectory().resolve(LOCAL_FILE);
    if (Files.isRegularFile(local)) {
      return Optional.of(read(local, LOCAL_FILE));
    }
    Path user = env.userConfigFile();
    if (Files.isRegularFile(user)) {
      return Optional.of(read(user, user.toString()));
    }
    return Optional.empty();
  }

  /** Where the defaults come from when {@link #find} finds nothing, for people. */
  String noFile() {
    return "built-in defaults (no " + LOCAL_FILE + " in the working directory, no " + env.userConfigFile() + ")";
  }

  private Found required(String given, String how) {
    Path file = env.resolve(given);
    if (!Files.exists(file)) {
      throw new ConfigException("config file " + given + " (" + how + ") does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file " + given + " (" + how + ") is not a regular file");
    }
    return read(file, given);
  }

  /** {@code file}'s text; messages name it {@code label}. */
  static Found read(Path file, String label) {
    try {
      return new Found(file, label, Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + label + " does not exist", e);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + label + ": " + e, e);
    }
  }
}
