package dev.tokenwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./tokenwatch} launcher on both of its paths: with JAVA_HOME a Java 17 JDK (this test's
 * own, with the AppCDS archive) and with a JDK 25 ({@code -Dtokenwatch.aot.jdk}, which .ci/run sets;
 * with its AOT cache when the build made one). Each runs {@code --version} and {@code track} then
 * {@code status} as real processes.
 */
class LauncherJdkIT {

  private static final Path LAUNCHER = Path.of(System.getProperty("tokenwatch.launcher", "../tokenwatch"));

  @TempDir
  Path dir;

  @Test
  void runsOnJava17() throws Exception {
    Path home = Path.of(System.getProperty("java.home"));
    Assumptions.assumeTrue(Runtime.version().feature() < 25, "this test JVM is not Java 17 to 24");
    runsWith(home, "Java " + Runtime.version().feature());
  }

  @Test
  void runsOnJava25() throws Exception {
    String jdk = System.getProperty("tokenwatch.aot.jdk", "");
    Assumptions.assumeTrue(!jdk.isBlank() && Files.isExecutable(Path.of(jdk, "bin", "java")),
        "no JDK 25 given (-Dtokenwatch.aot.jdk=/path/to/jdk-25; .ci/run finds one under /usr/lib/jvm)");
    runsWith(Path.of(jdk), "Java 25");
  }

  private void runsWith(Path javaHome, String expectedJava) throws Exception {
    Files.writeString(dir.resolve("tokenwatch.yaml"), "budget:\n  name: it\n  limit: 1000\nstore:\n  type: file\n"
        + "  path: usage\nnotifiers: []\nsources: []\n");
    assertThat(run(javaHome, "--version")).contains("tokenwatch ").contains(expectedJava);
    assertThat(run(javaHome, "track", "--model", "gpt-4o", "--input", "400", "--output", "150"))
        .isEqualTo("Tracked 550 tokens for gpt-4o: 550 of 1,000 tokens used (55.0%), 450 remaining\n");
    assertThat(run(javaHome, "status", "--json")).contains("\"used\":550");
  }

  private String run(Path javaHome, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put("JAVA_HOME", javaHome.toString());
    builder.environment().put("PATH", javaHome.resolve("bin") + ":/usr/bin:/bin");
    builder.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
    builder.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    builder.environment().put("HOME", dir.toString());
    builder.environment().remove("JAVA");
    builder.environment().remove("TOKENWATCH_CONFIG");
    builder.environment().remove("TOKENWATCH_JAVA_OPTS");
    builder.environment().remove("CLAUDE_CONFIG_DIR");
    builder.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(err).isZero();
    assertThat(err).as("stderr: JVM, CDS or AOT messages must not reach it").isEmpty();
    return Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
  }
}
