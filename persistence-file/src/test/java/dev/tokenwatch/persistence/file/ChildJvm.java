package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.testing.JavaCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Starts {@link StoreChild} in a separate JVM on the test classpath. */
final class ChildJvm {

  private ChildJvm() {}

  static Process start(String... args) throws IOException {
    List<String> command = JavaCommand.of(List.of("-Xshare:auto", "-XX:+UseSerialGC"), StoreChild.class, args);
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  static BufferedReader stdout(Process process) {
    return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }
}
