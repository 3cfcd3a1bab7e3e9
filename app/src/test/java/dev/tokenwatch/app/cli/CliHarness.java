package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.env.AppEnvironment;
import dev.tokenwatch.domain.port.Clock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
    variables.put("LANG", "C.UTF-8"); // a UTF-8 locale, as most terminals have: block characters show
  }

  AppEnvironment environment() {
    return new AppEnvironment(variables, directory.resolve("home"), directory, clock,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), terminal, terminal, terminal);
  }

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = Cli.run(args, new CliContext(environment(), outStream, errStream, false));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A command running in a thread of its own, such as {@code ingest --follow}. */
  static final class Running {
    final CliContext context;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

    private Running(AppEnvironment env, String... args) {
      context = new CliContext(env, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), false);
      Thread thread = new Thread(() -> {
        try {
          exitCode.complete(Cli.run(args, context));
        } catch (Throwable e) {
          exitCode.completeExceptionally(e);
        }
      }, "cli-" + args[0]);
      thread.setDaemon(true);
      thread.start();
    }

    /** Stderr so far (ByteArrayOutputStream is synchronized). */
    String err() {
      return err.toString(StandardCharsets.UTF_8);
    }

    /** Waits up to {@code timeout} for stderr to contain {@code text}. */
    void awaitErr(String text, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!err().contains(text)) {
        if (exitCode.isDone() || System.nanoTime() > deadline) {
          throw new AssertionError("stderr never contained \"" + text + "\"; it has:\n" + err());
        }
        Thread.sleep(20);
      }
    }

    /** Waits for the command to end. */
    Result await(Duration timeout) throws Exception {
      int code = exitCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err());
    }
  }

  /** Starts {@code args} in a thread; {@link Running#context} can stop it as Ctrl-C would. */
  Running start(String... args) {
    return new Running(environment(), args);
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
