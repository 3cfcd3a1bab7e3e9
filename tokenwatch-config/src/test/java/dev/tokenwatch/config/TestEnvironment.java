package dev.tokenwatch.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** An environment of its own in a test directory: home {@code home/}, XDG state and config below it. */
final class TestEnvironment {

  final Path directory;
  final Map<String, String> variables = new HashMap<>();

  TestEnvironment(Path directory) {
    this.directory = directory;
    variables.put("XDG_STATE_HOME", directory.resolve("state").toString());
    variables.put("XDG_CONFIG_HOME", directory.resolve("config").toString());
  }

  ConfigEnvironment environment() {
    return ConfigEnvironment.of(variables, directory.resolve("home"), directory);
  }

  /** Writes {@code text} to {@code relative}, creating its directories. */
  TestEnvironment write(String relative, String text) {
    try {
      Path file = directory.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
