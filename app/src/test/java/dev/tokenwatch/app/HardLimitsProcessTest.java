package dev.tokenwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reservations of the real {@code tokenwatch} in child JVMs sharing the file store, as shell scripts
 * use them: reserved in one process, refused in a second, committed in a third, seen by a fourth;
 * and a reservation of a process expiring on the real clock.
 */
class HardLimitsProcessTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Path config(String timeout) throws Exception {
    Path config = dir.resolve("tokenwatch-" + timeout + ".yaml");
    Files.writeString(config, """
        budgets:
          - {name: team, limit: 20000, mode: hard}
        store: {type: file, path: usage}
        notifiers: []
        reservationTimeout: %s
        """.formatted(timeout));
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

    CliProcess.Result status = run(config, "status", "--json");
    JsonNode team = JSON.readTree(status.out()).get("budgets").get(0);
    assertThat(team.get("used").asLong()).isEqualTo(12_500);
    assertThat(team.get("reserved").asLong()).isZero();
    assertThat(team.get("openReservations").asInt()).isZero();
    assertThat(team.get("overshoot").asLong()).isZero();
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
}
