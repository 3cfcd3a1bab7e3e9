package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.ingest.Ingestor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --project}, {@code --session}, {@code --tag} and {@code --at} bounds of track and ingest. */
class DimensionsCliTest {

  @TempDir
  Path dir;

  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
    cli.config("""
        budget:
          name: team
          limit: 10000
        store:
          type: file
          path: usage
        """);
  }

  private CliHarness.Result track(String... more) {
    String[] base = {"track", "--model", "gpt-4o", "--input", "10", "--output", "5"};
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return cli.run(args);
  }

  @Test
  void trackTakesProjectSessionAndRepeatedTags() {
    CliHarness.Result tracked = track("--project", "search", "--session", "nightly-42", "--tag", "team=core",
        "--tag", "env=ci");
    assertThat(tracked.exitCode()).as(tracked.err()).isZero();
    assertThat(tracked.out()).startsWith(
        "Tracked 15 tokens for gpt-4o (project search, session nightly-42, tags env=ci team=core): ");
    assertThat(track().out()).startsWith("Tracked 15 tokens for gpt-4o: ");
  }

  @Test
  void aBadTagIsAUsageErrorNamingTheOptionAndTheValue() {
    CliHarness.Result badKey = track("--tag", "Team=core");
    assertThat(badKey.exitCode()).isEqualTo(2);
    assertThat(badKey.err()).contains("--tag \"Team=core\": tag key must match [a-z][a-z0-9_.-]{0,31}, got \"Team\"");
    assertThat(track("--tag", "team").err()).contains("--tag must be KEY=VALUE such as team=search, got \"team\"");
    assertThat(track("--tag", "team=").err()).contains("--tag \"team=\": tag team must have a value of 1 to 128");
    assertThat(track("--tag", "team=a", "--tag", "team=b").err()).contains("--tag team is given twice");
    assertThat(track("--project", " ").err()).contains("--project must not be blank");
    CliHarness.Result ingest = cli.run("ingest", "--tag", "x y=1", "-");
    assertThat(ingest.exitCode()).isEqualTo(2);
    assertThat(ingest.err()).contains("--tag \"x y=1\"");
  }

  @Test
  void trackAtIsBoundedTo2000AndFiveMinutesFromNow() {
    CliHarness.Result ancient = track("--at", "-999999999-01-01T00:00:00Z");
    assertThat(ancient.exitCode()).isEqualTo(2);
    assertThat(ancient.err()).contains("--at must not be before 2000-01-01T00:00:00Z, got \"-999999999-01-01T00:00:00Z\"");
    assertThat(track("--at", "1999-12-31T23:59:59Z").exitCode()).isEqualTo(2);
    CliHarness.Result future = track("--at", "+999999999-12-31T23:59:59Z");
    assertThat(future.exitCode()).isEqualTo(2);
    assertThat(future.err()).contains("--at must not be more than 5 minutes in the future (now "
        + CliHarness.NOW + "), got \"+999999999-12-31T23:59:59Z\"");
    assertThat(track("--at", "2000-01-01T00:00:00Z").exitCode()).isZero();
    assertThat(track("--at", CliHarness.NOW.plus(Duration.ofMinutes(5)).toString()).exitCode()).isZero();
  }

  @Test
  void ingestGivesApiResponsesTheRunsDimensions() {
    TokenTracker tracker = TokenTracker.builder(TokenBudget.of(1_000_000, BudgetPeriod.MONTHLY))
        .store(new InMemoryUsageStore()).clock(() -> CliHarness.NOW).build();
    String response = "{\"id\":\"msg_1\",\"type\":\"message\",\"model\":\"claude-sonnet-4\","
        + "\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}\n";
    Ingestor.Builder builder = Ingestor.builder(tracker).clock(() -> CliHarness.NOW)
        .stdin(new ByteArrayInputStream(response.getBytes(StandardCharsets.UTF_8)));
    IngestCommand.applyDimensions(builder, "search", "s-9", Map.of("team", "core"),
        new CommandLine(new IngestCommand(null)));
    builder.build().ingest(List.of("-"));
    assertThat(tracker.getHistory()).singleElement().satisfies(e -> {
      assertThat(e.project()).isEqualTo("search");
      assertThat(e.session()).isEqualTo("s-9");
      assertThat(e.tags()).containsExactly(Map.entry("team", "core"));
    });
  }

  @Test
  void ingestKeepsLinesStampedInTheFutureAndALaterRunCountsThem() {
    String ahead = CliHarness.NOW.plus(Duration.ofMinutes(10)).toString();
    cli.write("logs/session.jsonl", "{\"type\":\"assistant\",\"timestamp\":\"" + ahead + "\",\"requestId\":\"r1\","
        + "\"message\":{\"id\":\"m1\",\"model\":\"claude-opus-4\",\"usage\":{\"input_tokens\":40,\"output_tokens\":2}}}\n");

    CliHarness.Result early = cli.run("ingest", "logs");
    assertThat(early.exitCode()).as(early.err()).isZero();
    assertThat(early.err()).containsPattern("(?m)^  malformed lines +0$")
        .containsPattern("(?m)^  kept for later +1 lines stamped in the future kept for a later run")
        .contains("session.jsonl:1: timestamp " + ahead + " is more than 5 minutes ahead of the clock");
    assertThat(cli.run("ingest", "--quiet", "logs").err())
        .startsWith("tokenwatch: 1 lines stamped in the future kept for a later run");

    cli.clock = () -> CliHarness.NOW.plus(Duration.ofMinutes(6));
    CliHarness.Result later = cli.run("ingest", "logs");
    assertThat(later.err()).containsPattern("(?m)^  events ingested +1$").doesNotContain("kept for later");
  }
}
