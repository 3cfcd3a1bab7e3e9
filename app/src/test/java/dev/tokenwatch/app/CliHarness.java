package dev.tokenwatch.app;

import dev.tokenwatch.domain.port.Clock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process, in a directory of its own, with captured streams and a fixed clock. */
final class CliHarness {

  /** Mid-November 2026: the monthly period ends 2026-12-01 00:00 UTC, 14d 12h later. */
  static final Instant NOW = Instant.parse("2026-11-16T12:00:00Z");

  record Result(int exitCode, String out, String err) {}

  final Path directory;
  final Map<String, String> variables = new HashMap<>();
  Clock clock = () -> NOW;
  String stdin = "";
  boolean terminal;

  CliHarness(Path directory) {
    this.directory = directory;
    variables.put("XDG_STATE_HOME", directory.resolve("state").toString());
    variables.put("XDG_CONFIG_HOME", directory.resolve("config").toString());
  }

  AppEnvironment environment() {
    return new AppEnvironment(variables, directory.resolve("home"), directory, clock,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), terminal, terminal);
  }

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = Cli.run(args, new CliContext(environment(), outStream, errStream, false));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Writes {@code tokenwatch.yaml} in the working directory. */
  CliHarness config(String yaml) {
    return write("tokenwatch.yaml", yaml);
  }

  CliHarness write(String name, String content) {
    try {
      Path file = directory.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
