package dev.tokenwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./tokenwatch} launcher's first run, which builds the distribution with Maven: a copy
 * of the launcher beside a project with nothing to build (so Maven starts and ends in seconds),
 * {@code JAVA=true} in place of the JVM it then starts.
 */
class LauncherFirstBuildIT {

  private static final Path LAUNCHER = Path.of(System.getProperty("tokenwatch.launcher", "../tokenwatch"));

  @TempDir
  Path dir;

  @Test
  void theFirstBuildLeavesNoColourCodesOnStderr() throws Exception {
    Path launcher = dir.resolve("tokenwatch");
    Files.copy(LAUNCHER, launcher);
    assertThat(launcher.toFile().setExecutable(true)).isTrue();
    Files.writeString(dir.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>test</groupId><artifactId>empty</artifactId><version>1</version><packaging>pom</packaging>
        </project>
        """);
    ProcessBuilder builder = new ProcessBuilder("bash", launcher.toString(), "status").directory(dir.toFile())
        .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
    builder.environment().put("JAVA", "true"); // the launcher's last step, exec $JAVA ... -jar, does nothing
    builder.environment().remove("MAVEN_OPTS");
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the launcher finished in time").isTrue();
    String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(err).isZero();
    assertThat(err).as("the first build ran Maven").contains("tokenwatch: building the distribution first");
    assertThat(err + Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8))
        .as("no ANSI escape (Maven's colour reset, ESC[0m)").doesNotContain("\u001b");
  }
}
