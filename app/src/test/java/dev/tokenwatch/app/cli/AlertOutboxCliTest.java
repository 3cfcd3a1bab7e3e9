package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts are delivered at least once through a Slack outage and a kill: a claimed alert waits in
 * the store's outbox until Slack accepts it, delivered by the same command while it waits, else by
 * any later command, and by one process only when several retry the same outbox.
 */
class AlertOutboxCliTest {

  @TempDir
  Path dir;

  private SlackStub slack;
  private CliHarness cli;
  private Path config;

  @BeforeEach
  void start() throws Exception {
    slack = new SlackStub();
    cli = new CliHarness(dir);
    cli.variables.put("HOOK", slack.url());
    cli.config("""
        budgets:
          - name: team
            limit: 1000
          - name: opus
            limit: 500
          - name: web
            limit: 2000
        store:
          type: file
          path: usage
        notifiers:
          - type: console
          - type: slack
            webhookUrl: ${HOOK}
        """);
    config = dir.resolve("tokenwatch.yaml");
    Files.writeString(config, Files.readString(config).replace("${HOOK}", slack.url()));
  }

  @AfterEach
  void stop() {
    slack.close();
  }

  private CliHarness.Result ok(String... args) {
    CliHarness.Result result = cli.run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isZero();
    return result;
  }

  private CliHarness.Result track(long tokens) {
    return ok("track", "--model", "gpt-4o", "--input", String.valueOf(tokens), "--output", "0");
  }

  @Test
  void anAlertSlackRefusedIsDeliveredOnceByTheNextCommand() {
    Instant[] now = {CliHarness.NOW};
    cli.clock = () -> now[0];
    slack.status = 500;

    CliHarness.Result first = track(450); // team 45%, opus 90%, web 22.5%: one alert, of opus
    assertThat(first.err()).contains("opus")
        .containsPattern("1 alert not delivered within 3s \\(slack-[0-9a-f]{8}: Slack answered HTTP 500 internal_error")
        .contains("kept in the store's outbox, the next tokenwatch command tries again")
        .doesNotContain("topsecret");
    assertThat(slack.requests).isNotEmpty();
    assertThat(slack.accepted).isEmpty();

    CliHarness.Result waiting = ok("status", "--no-ingest");
    assertThat(waiting.out()).contains("1 alert waiting for delivery").contains("budget 'opus' at 90.0%")
        .contains("Slack answered HTTP 500").doesNotContain("topsecret");

    slack.status = 200;
    now[0] = now[0].plusSeconds(30); // past the retry time
    CliHarness.Result next = ok("status", "--no-ingest");
    assertThat(slack.accepted).hasSize(1);
    assertThat(next.err()).doesNotContain("not delivered");

    now[0] = now[0].plus(Duration.ofMinutes(10));
    CliHarness.Result later = ok("status", "--no-ingest");
    assertThat(slack.accepted).as("delivered once").hasSize(1);
    assertThat(later.out()).doesNotContain("waiting for delivery");
  }

  @Test
  void anAlertWhoseCommandWasKilledBeforeSlackAnsweredIsDeliveredByTheNextCommand() throws Exception {
    slack.hold = true;
    CliProcess child = CliProcess.start(dir, config, "track", "--model", "gpt-4o", "--input", "450", "--output", "0");
    assertThat(slack.firstRequest.await(60, TimeUnit.SECONDS)).as("the child posted its alert").isTrue();
    child.process().destroyForcibly(); // SIGKILL: the claim is in the outbox, Slack never answered
    child.process().waitFor(30, TimeUnit.SECONDS);
    String sent = slack.requests.get(0);
    slack.status = 200;
    slack.release();
    slack.awaitAnswered(); // the held request, whose client is gone
    slack.accepted.clear();

    Instant afterLease = Instant.now().plus(Duration.ofMinutes(2));
    cli.clock = () -> afterLease;
    ok("status", "--no-ingest");
    assertThat(slack.accepted).containsExactly(sent);
    ok("status", "--no-ingest");
    assertThat(slack.accepted).containsExactly(sent);
  }

  @Test
  void threeProcessesRetryingOneOutboxDeliverEachAlertOnce() throws Exception {
    cli.clock = Instant::now;
    slack.status = 500;
    CliHarness.Result first = track(1_900); // every budget's highest threshold: three alerts
    assertThat(first.err()).contains("3 alerts not delivered");
    slack.requests.clear();
    slack.status = 200;
    // past every retry time: attempts at 0, 1 and 3 s within the 3 s wait, so the next at most at 7 s
    Thread.sleep(Duration.ofSeconds(5).toMillis());

    List<CliProcess> children = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      children.add(CliProcess.start(dir, config, "status", "--no-ingest"));
    }
    for (CliProcess child : children) {
      CliProcess.Result result = child.await(120);
      assertThat(result.exitCode()).as(result.err()).isZero();
    }
    assertThat(slack.accepted).hasSize(3).doesNotHaveDuplicates();
    assertThat(slack.requests).hasSize(3);
  }
}
