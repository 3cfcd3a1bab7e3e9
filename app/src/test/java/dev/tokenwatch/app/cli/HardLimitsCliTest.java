package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hard budget through the CLI, each command a run of its own over a durable store (the file store,
 * and H2 through the JDBC store), so a reservation lives from {@code reserve} to its {@code commit}
 * or {@code release} in the store alone: the figures of {@code status}, refusals, overshoot, and
 * expiry on the harness's clock.
 */
class HardLimitsCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private CliHarness cli(String store, String timeout) {
    String storeSection = store.equals("file") ? "store: {type: file, path: usage}\n"
        : "store: {type: jdbc, url: \"jdbc:h2:file:" + dir.resolve("db").resolve("tokens").toString()
            .replace('\\', '/') + "\"}\n";
    return new CliHarness(dir).config("""
        budgets:
          - {name: team, limit: 20000, mode: hard}
          - {name: all, limit: 1000000}
        notifiers: []
        reservationTimeout: %s
        """.formatted(timeout) + storeSection);
  }

  private static String ok(CliHarness.Result result) {
    assertThat(result.exitCode()).as(result.err()).isZero();
    return result.out();
  }

  private static String reserve(CliHarness cli, long tokens) {
    CliHarness.Result result = cli.run("reserve", "--model", "gpt-4o", "--estimate", String.valueOf(tokens));
    assertThat(result.err()).isEmpty();
    String id = ok(result).strip();
    assertThat(id).matches(ReserveCliTest.ID);
    return id;
  }

  private static JsonNode team(CliHarness cli) throws Exception {
    return JSON.readTree(ok(cli.run("status", "--json", "--budget", "team"))).get("budgets").get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"file", "h2"})
  void reserveCommitReleaseAndStatusAcrossRuns(String store) throws Exception {
    CliHarness cli = cli(store, "10m");
    String first = reserve(cli, 6_000);
    String second = reserve(cli, 6_000);
    String third = reserve(cli, 4_000);
    assertThat(ok(cli.run("status", "--budget", "team"))).contains("""
        Used    0 of 20,000 tokens, 20,000 remaining
        Mode    hard: 'tokenwatch reserve' refuses an estimate that would pass the limit
        Reserved 16,000 tokens in 3 open reservations
        """);
    assertThat(ok(cli.run("status"))).contains("(monthly, 14d 12h left; hard, 16,000 tokens reserved)\n");

    CliHarness.Result refused = cli.run("reserve", "--model", "gpt-4o", "--estimate", "5000");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).isEqualTo("tokenwatch: refused: hard budget 'team' (20,000 tokens monthly): used 0 "
        + "tokens and reserved 16,000 tokens, so the estimate of 5,000 tokens would pass its limit\n");
    // check is the read-only question: it reserves nothing and releases nothing
    assertThat(ok(cli.run("check", "--budget", "team"))).startsWith("ok: 0.0% of budget 'team' used");
    assertThat(team(cli).get("openReservations").asInt()).isEqualTo(3);

    CliHarness.Result committed = cli.run("commit", first, "--model", "gpt-4o", "--input", "8000", "--output", "1000",
        "--request-id", "call-1");
    assertThat(ok(committed)).isEqualTo("""
        Tracked 9,000 tokens for gpt-4o:
          team  9,000 of 20,000 tokens used (45.0%), 11,000 remaining
          all   9,000 of 1,000,000 tokens used (0.9%), 991,000 remaining
        """);
    assertThat(committed.err()).isEmpty();
    JsonNode afterCommit = team(cli);
    assertThat(afterCommit.get("used").asLong()).isEqualTo(9_000);
    assertThat(afterCommit.get("reserved").asLong()).isEqualTo(10_000);
    assertThat(afterCommit.get("openReservations").asInt()).isEqualTo(2);

    // committed twice (a retry of the script): counted once by its request id, and said to be settled
    CliHarness.Result again = cli.run("commit", first, "--model", "gpt-4o", "--input", "8000", "--output", "1000",
        "--request-id", "call-1");
    assertThat(ok(again)).startsWith("Request call-1 was already counted; nothing added:");
    assertThat(again.err()).contains("reservation " + first + " was no longer open");

    assertThat(ok(cli.run("release", second))).isEqualTo("Released reservation " + second + "\n");
    assertThat(ok(cli.run("release", second))).startsWith("Reservation " + second + " was not open");
    assertThat(team(cli).get("reserved").asLong()).isEqualTo(4_000);

    // the last call used far more than its 4,000: recorded in full, and status names the overshoot
    ok(cli.run("commit", third, "--model", "gpt-4o", "--input", "13100", "--output", "0"));
    assertThat(ok(cli.run("status", "--budget", "team"))).contains("""
        Used    22,100 of 20,000 tokens, 0 remaining
        Mode    hard: 'tokenwatch reserve' refuses an estimate that would pass the limit
        Reserved nothing
        Over    the hard limit by 2,100 tokens: calls used more than they reserved
        """);
    assertThat(ok(cli.run("status"))).contains("\nteam: over its hard limit by 2,100 tokens: calls used more than "
        + "they reserved\n");
    JsonNode over = team(cli);
    assertThat(over.get("mode").asText()).isEqualTo("hard");
    assertThat(over.get("overshoot").asLong()).isEqualTo(2_100);
    assertThat(over.get("reserved").asLong()).isZero();
    assertThat(over.get("openReservations").asInt()).isZero();
    CliHarness.Result full = cli.run("reserve", "--model", "gpt-4o", "--estimate", "0");
    assertThat(full.exitCode()).isEqualTo(1);
    assertThat(full.err()).contains("used 22,100 tokens and reserved 0 tokens, so the estimate of 0 tokens");
  }

  @Test
  void aReservationExpiresAfterTheTimeoutAndItsLateCommitIsRecorded() throws Exception {
    CliHarness cli = cli("file", "1m");
    String late = reserve(cli, 15_000);
    assertThat(cli.run("reserve", "--model", "gpt-4o", "--estimate", "10000").exitCode()).isEqualTo(1);

    cli.clock = () -> CliHarness.NOW.plusSeconds(59);
    assertThat(team(cli).get("reserved").asLong()).as("still open a second before it expires").isEqualTo(15_000);
    cli.clock = () -> CliHarness.NOW.plusSeconds(60);
    assertThat(team(cli).get("openReservations").asInt()).as("expired at its expiresAt").isZero();
    assertThat(ok(cli.run("status", "--budget", "team"))).contains("\nReserved nothing\n");
    String next = reserve(cli, 10_000);

    CliHarness.Result committed = cli.run("commit", late, "--model", "gpt-4o", "--input", "14000", "--output", "0");
    assertThat(ok(committed)).contains("team  14,000 of 20,000 tokens used (70.0%)");
    assertThat(committed.err()).isEqualTo("tokenwatch: reservation " + late + " was no longer open (it expired after "
        + "1m, was settled already, or is unknown); the usage is recorded all the same\n");
    JsonNode team = team(cli);
    assertThat(team.get("used").asLong()).isEqualTo(14_000);
    assertThat(team.get("reserved").asLong()).as("the later reservation still holds").isEqualTo(10_000);
    assertThat(ok(cli.run("release", next))).startsWith("Released reservation ");
  }

  @Test
  void reserveJsonGivesTheExpiryATimeoutFromNow() throws Exception {
    CliHarness cli = cli("file", "90s");
    JsonNode json = JSON.readTree(ok(cli.run("reserve", "--model", "gpt-4o", "--estimate", "1", "--json")));
    assertThat(Instant.parse(json.get("expiresAt").asText())).isEqualTo(CliHarness.NOW.plusSeconds(90));
    assertThat(json.get("budgets")).extracting(JsonNode::asText).containsExactly("team");
  }
}
