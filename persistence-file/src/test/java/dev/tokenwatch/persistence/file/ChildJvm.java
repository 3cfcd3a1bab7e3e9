package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.testing.JavaCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Starts a child main ({@link StoreChild} unless named) in a separate JVM on the test classpath. */
final class ChildJvm {

  private ChildJvm() {}

  static Process start(String... args) throws IOException {
    return start(StoreChild.class, args);
  }

  /** Starts {@code main} in a separate JVM on the test classpath. */
  static Process start(Class<?> main, String... args) throws IOException {
    List<String> command = JavaCommand.of(List.of("-Xshare:auto", "-XX:+UseSerialGC"), main, args);
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  static BufferedReader stdout(Process process) {
    return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }
}
