package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.Main;
import dev.tokenwatch.domain.testing.JavaCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code tokenwatch} command in a child JVM ({@link Main} on the test class path), as a
 * user runs it: its own process, configuration from {@code $TOKENWATCH_CONFIG}, stdout and stderr
 * captured to files.
 */
final class CliProcess {

  record Result(int exitCode, String out, String err) {
    String both() {
      return out + err;
    }
  }

  private final Process process;
  private final Path out;
  private final Path err;

  private CliProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code tokenwatch args} in {@code dir} with {@code config} and the state under {@code dir/state}. */
  static CliProcess start(Path dir, Path config, String... args) throws IOException {
    return start(Main.class, dir, config, args);
  }

  /** As {@link #start(Path, Path, String...)}, running {@code main} (a test's own entry point) instead of {@link Main}. */
  static CliProcess start(Class<?> main, Path dir, Path config, String... args) throws IOException {
    List<String> command = new ArrayList<>(JavaCommand.of(List.of("-XX:+UseSerialGC"), main, args));
    String name = "cli-" + System.nanoTime();
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = builder.environment();
    env.put("TOKENWATCH_CONFIG", config.toString());
    env.put("XDG_STATE_HOME", dir.resolve("state").toString());
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("HOME", dir.toString());
    env.remove("CLAUDE_CONFIG_DIR"); // the usage sources default to Claude Code's logs under HOME: none here
    return new CliProcess(builder.start(), out, err);
  }

  static Result run(Path dir, Path config, String... args) throws IOException, InterruptedException {
    return start(dir, config, args).await(120);
  }

  Process process() {
    return process;
  }

  String err() throws IOException {
    return Files.readString(err, StandardCharsets.UTF_8);
  }

  Result await(long seconds) throws IOException, InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("tokenwatch did not end within " + seconds + " s; stderr:\n" + err());
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), err());
  }
}
