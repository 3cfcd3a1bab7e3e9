package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.testing.JavaCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real second JVM on the test class path, running a main class of the tests. */
final class ChildJvm {

  private final Process process;
  private final Path output;

  private ChildJvm(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static ChildJvm start(Path workDir, Class<?> mainClass, String... args) throws IOException {
    List<String> command = JavaCommand.of(List.of(), mainClass, args);
    Path output = workDir.resolve(mainClass.getSimpleName() + "-" + System.nanoTime() + ".out");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    return new ChildJvm(process, output);
  }

  /** Waits (up to 120 s) until the child printed {@code line}. */
  void awaitLine(String line) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!List.of(text().split("\\R")).contains(line)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("child JVM did not print " + line + "; output:\n" + text());
      }
      Thread.sleep(20);
    }
  }

  /** Waits for the child to exit with status 0 and returns its output lines. */
  List<String> awaitSuccess() throws IOException, InterruptedException {
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child JVM did not finish within 120 s; output:\n" + text());
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("child JVM exited with " + process.exitValue() + "; output:\n" + text());
    }
    return List.of(text().split("\\R"));
  }

  private String text() throws IOException {
    return java.nio.file.Files.readString(output, StandardCharsets.UTF_8);
  }
}
