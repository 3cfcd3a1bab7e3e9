package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.app.Main;
import dev.tokenwatch.domain.port.Clock;
import dev.tokenwatch.domain.testing.JavaCommand;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reservations of the real {@code tokenwatch} in child JVMs sharing the file store, as shell scripts
 * use them: reserved in one process, refused in a second, committed in a third, seen by this one;
 * a reservation of a process expiring on the real clock; and the README's shell script.
 */
class HardLimitsProcessTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Path config(String timeout) throws Exception {
    return config(timeout, 20_000);
  }

  private Path config(String timeout, long limit) throws Exception {
    Path config = dir.resolve("tokenwatch-" + timeout + ".yaml");
    Files.writeString(config, """
        budgets:
          - {name: team, limit: %d, mode: hard}
        store: {type: file, path: usage}
        notifiers: []
        reservationTimeout: %s
        """.formatted(limit, timeout));
    return config;
  }

  private CliProcess.Result run(Path config, String... args) throws Exception {
    return CliProcess.run(dir, config, args);
  }

  @Test
  void aReservationOfOneProcessHoldsInTheOthersUntilAnotherCommitsIt() throws Exception {
    Path config = config("10m");
    CliProcess.Result reserved = run(config, "reserve", "--model", "gpt-4o", "--estimate", "15000");
    assertThat(reserved.exitCode()).as(reserved.err()).isZero();
    String id = reserved.out().strip();
    assertThat(id).matches(ReserveCliTest.ID);

    CliProcess.Result refused = run(config, "reserve", "--model", "gpt-4o", "--estimate", "6000");
    assertThat(refused.exitCode()).as(refused.both()).isEqualTo(1);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).contains("hard budget 'team' (20,000 tokens monthly): used 0 tokens and reserved "
        + "15,000 tokens, so the estimate of 6,000 tokens would pass its limit");

    CliProcess.Result committed = run(config, "commit", id, "--model", "gpt-4o", "--input", "12000", "--output",
        "500");
    assertThat(committed.exitCode()).as(committed.err()).isZero();
    assertThat(committed.out()).startsWith("Tracked 12,500 tokens for gpt-4o: 12,500 of 20,000 tokens used");
    assertThat(committed.err()).as("the reservation was open").isEmpty();

    JsonNode team = status(config);
    assertThat(team.get("used").asLong()).isEqualTo(12_500);
    assertThat(team.get("reserved").asLong()).isZero();
    assertThat(team.get("openReservations").asInt()).isZero();
    assertThat(team.get("overshoot").asLong()).isZero();
  }

  /** The budget of {@code status --json}, asked in this JVM (on the real clock) of the store the children share. */
  private JsonNode status(Path config) throws Exception {
    CliHarness cli = new CliHarness(dir);
    cli.clock = Clock.system();
    CliHarness.Result status = cli.run("status", "--json", "--config", config.toString());
    assertThat(status.exitCode()).as(status.err()).isZero();
    return JSON.readTree(status.out()).get("budgets").get(0);
  }

  @Test
  void theReservationOfAProcessExpiresOnTheRealClock() throws Exception {
    Path config = config("1s");
    CliProcess.Result reserved = run(config, "reserve", "--model", "gpt-4o", "--estimate", "20000", "--json");
    assertThat(reserved.exitCode()).as(reserved.err()).isZero();
    JsonNode json = JSON.readTree(reserved.out());
    Instant expiresAt = Instant.parse(json.get("expiresAt").asText());
    // the estimate holds the whole limit until it expires; the next process starts after that
    Duration wait = Duration.between(Instant.now(), expiresAt);
    if (!wait.isNegative()) {
      Thread.sleep(wait.toMillis() + 50);
    }
    CliProcess.Result after = run(config, "reserve", "--model", "gpt-4o", "--estimate", "20000");
    assertThat(after.exitCode()).as(after.err()).isZero();
    assertThat(after.out().strip()).matches(ReserveCliTest.ID).isNotEqualTo(json.get("id").asText());
  }

  @Test
  void theReadmeShellScriptCommitsWhatTheCallUsedReleasesWhenItFailsAndStopsWhenRefused() throws Exception {
    Path config = config("10m", 15_000);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    executable(bin.resolve("tokenwatch"), "#!/bin/sh\nexec " + JavaCommand.of(List.of("-XX:+UseSerialGC"), Main.class)
        .stream().map(HardLimitsProcessTest::shellQuote).collect(Collectors.joining(" ")) + " \"$@\"\n");
    // the stand-in for the model: 6,000 input and 1,500 output tokens, or a failure
    executable(dir.resolve("call-model.sh"), """
        #!/bin/sh
        if [ "$1" = fail ]; then echo "provider down" >&2; exit 1; fi
        echo "6000 1500"
        """);
    Path script = executable(dir.resolve("ask.sh"), readmeScript());

    Script failed = runScript(script, config, bin, "fail");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.output()).contains("provider down").containsPattern("Released reservation " + ReserveCliTest.ID);
    Script answered = runScript(script, config, bin, "hello");
    assertThat(answered.exitCode()).as(answered.output()).isZero();
    assertThat(answered.output()).contains("Tracked 7,500 tokens for gpt-4o (project search): 7,500 of 15,000 tokens "
        + "used (50.0%), 7,500 remaining");
    // 7,500 used: the next estimate of 8,000 would pass the 15,000, so the model is not called
    Script refused = runScript(script, config, bin, "hello");
    assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
    assertThat(refused.output()).contains("tokenwatch: refused: hard budget 'team' (15,000 tokens monthly): used "
        + "7,500 tokens and reserved 0 tokens, so the estimate of 8,000 tokens would pass its limit")
        .doesNotContain("Tracked");

    JsonNode team = status(config);
    assertThat(team.get("used").asLong()).isEqualTo(7_500);
    assertThat(team.get("openReservations").asInt()).isZero();
  }

  /** The README's shell script: its sh block that reserves. */
  private static String readmeScript() throws Exception {
    String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
    Matcher block = Pattern.compile("```sh\n(#!/bin/sh\n.*?)```", Pattern.DOTALL).matcher(readme);
    while (block.find()) {
      if (block.group(1).contains("tokenwatch reserve")) {
        return block.group(1);
      }
    }
    throw new AssertionError("README.md has no sh block with tokenwatch reserve");
  }

  private record Script(int exitCode, String output) {}

  /** {@code sh SCRIPT ARG} in {@code dir} with {@code bin} first on the PATH; stdout and stderr together. */
  private Script runScript(Path script, Path config, Path bin, String arg) throws Exception {
    Path output = dir.resolve("script-" + System.nanoTime() + ".log");
    ProcessBuilder builder = new ProcessBuilder("sh", script.toString(), arg).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    Map<String, String> env = builder.environment();
    env.put("PATH", bin + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("TOKENWATCH_CONFIG", config.toString());
    env.put("XDG_STATE_HOME", dir.resolve("state").toString());
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("HOME", dir.toString());
    Process process = builder.start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the script did not end within 180 s: " + Files.readString(output));
    }
    return new Script(process.exitValue(), Files.readString(output));
  }

  private static Path executable(Path file, String content) throws Exception {
    Files.writeString(file, content);
    file.toFile().setExecutable(true);
    return file;
  }

  private static String shellQuote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
