package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tokenwatch.app.env.AppEnvironment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI run in-process against a file store in a temporary directory. */
class CliTest {

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
        notifiers:
          - type: console
        """);
  }

  private CliHarness.Result track(String model, int input, int output, String... more) {
    String[] base = {"track", "--model", model, "--input", String.valueOf(input), "--output", String.valueOf(output)};
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return cli.run(args);
  }

  @Test
  void trackAcrossThresholdsPrintsEachConsoleAlertOnce() {
    CliHarness.Result first = track("gpt-4o", 4000, 1500);
    assertThat(first.exitCode()).isZero();
    assertThat(first.out()).isEqualTo("Tracked 5,500 tokens for gpt-4o: 5,500 of 10,000 tokens used (55.0%), "
        + "4,500 remaining\n");
    assertThat(first.err()).contains("token budget 'team' at 55.0%").hasLineCount(1);

    CliHarness.Result second = track("claude-sonnet", 500, 0);
    assertThat(second.err()).isEmpty();

    CliHarness.Result third = track("claude-sonnet", 2000, 500);
    assertThat(third.out()).contains("8,500 of 10,000 tokens used (85.0%)");
    assertThat(third.err()).contains("token budget 'team' at 85.0%").hasLineCount(1);

    CliHarness.Result fourth = track("gpt-4o", 1500, 0, "--request-id", "r-1");
    assertThat(fourth.err()).contains("at 100.0%").hasLineCount(1);
    CliHarness.Result again = track("gpt-4o", 1500, 0, "--request-id", "r-1");
    assertThat(again.out()).startsWith("Request r-1 was already counted; nothing added: 10,000 of 10,000");
    assertThat(again.err()).isEmpty();
    assertThat(track("gpt-4o", 1, 0).err()).isEmpty();
  }

  @Test
  void statusShowsBarModelsAndFiredAlerts() {
    track("gpt-4o", 5000, 2240);
    track("claude-sonnet", 0, 0, "--total", "0");
    CliHarness.Result status = cli.run("status");
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).isEqualTo("""
        Budget  team (monthly, UTC)
        Period  2026-11-01 00:00 UTC to 2026-12-01 00:00 UTC, 14d 12h left
        Usage   [██████████████░░░░░░] 72.4%
        Used    7,240 of 10,000 tokens, 2,760 remaining
        Alerts  50.0% (info), 70.0% (warning) fired this period
        Burn    467 tokens a day on average so far (15d 12h); projected 14,012 (140.1%) by the period's end; \
        the limit is reached 2026-11-22 09:48 UTC

        Model                 Tokens   Share    Calls        Cost
        gpt-4o                 7,240  100.0%        1       $0.03
        claude-sonnet              0    0.0%        1    unpriced
        """);
    assertThat(status.out()).doesNotContain("\u001b[");
  }

  @Test
  void statusJsonIsOneStableObject() {
    track("gpt-4o", 5000, 2240, "--cache-read", "100");
    CliHarness.Result status = cli.run("status", "--json");
    // gpt-4o at $2.50 in, $10 out and $1.25 cache read per million: 0.0125 + 0.0224 + 0.000125
    assertThat(status.out()).isEqualTo("{\"budgets\":[{\"budget\":\"team\",\"unit\":\"tokens\",\"scope\":\"all usage\","
        + "\"period\":\"monthly\",\"zone\":\"UTC\",\"periodStart\":\"2026-11-01T00:00:00Z\","
        + "\"periodEnd\":\"2026-12-01T00:00:00Z\",\"secondsLeft\":1252800,\"limit\":10000,\"used\":7340,"
        + "\"remaining\":2660,\"ratio\":0.734,\"totalTokens\":7340,\"costUsd\":0.035025,\"countedFromLedger\":false,"
        + "\"models\":[{\"model\":\"gpt-4o\",\"totalTokens\":7340,\"inputTokens\":5000,\"outputTokens\":2240,"
        + "\"cacheCreationTokens\":0,\"cacheReadTokens\":100,\"calls\":1,\"costUsd\":0.035025,\"share\":1.0}],"
        + "\"firedThresholds\":[0.5,0.7],\"forecast\":{\"projected\":14206,\"ratio\":1.4206451612903226,"
        + "\"limitReachedAt\":\"2026-11-22T02:48:43.161Z\"},\"firedForecasts\":[],\"earlierPeriods\":[],"
        + "\"mode\":\"soft\",\"reserved\":0,\"openReservations\":0,\"overshoot\":0,"
        // 7,340 tokens in 15d 12h: 473.5 a day, times the 30 days is the forecast's 14,206
        + "\"burn\":{\"per\":\"day\",\"average\":474,\"elapsedSeconds\":1339200}}],"
        + "\"alertsWaiting\":0,\"alertsGivenUp\":0}\n");
  }

  @Test
  void colourOnlyOnATerminalAndNeverWithNoColor() {
    track("gpt-4o", 100, 0);
    cli.terminal = true;
    assertThat(cli.run("status").out()).contains("\u001b[32m");
    cli.variables.put("NO_COLOR", "1");
    assertThat(cli.run("status").out()).doesNotContain("\u001b[");
  }

  @Test
  void checkExitsOneAtOrOverTheRatio() {
    track("gpt-4o", 8000, 0);
    CliHarness.Result under = cli.run("check");
    assertThat(under.exitCode()).isZero();
    assertThat(under.out()).isEqualTo("ok: 80.0% of budget 'team' used (8,000 of 10,000 tokens), under 100.0%\n");
    CliHarness.Result over = cli.run("check", "--at-most", "80%");
    assertThat(over.exitCode()).isEqualTo(1);
    assertThat(over.out()).startsWith("over: 80.0%");
    assertThat(cli.run("check", "--at-most", "0.81").exitCode()).isZero();
    CliHarness.Result bad = cli.run("check", "--at-most", "lots");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("must be a ratio such as 0.8 or a percentage such as 80%, got \"lots\"");
  }

  @Test
  void historyListsEventsAsTextAndJsonLines() {
    track("gpt-4o", 10, 5, "--at", "2026-11-16T10:00:00Z", "--request-id", "a");
    track("claude-sonnet", 20, 0, "--cache-creation", "7", "--at", "2026-11-16T11:00:00+01:00");
    CliHarness.Result json = cli.run("history", "--json");
    // Exactly TokenUsageEventJson's shape, which ingest --format tokenwatch reads back; the cost as
    // priced when tracked (gpt-4o: 10 x 2.5 + 5 x 10 = 75 micro-dollars; claude-sonnet has no price).
    assertThat(json.out()).isEqualTo(
        "{\"model\":\"gpt-4o\",\"inputTokens\":10,\"outputTokens\":5,\"cacheCreationTokens\":0,"
            + "\"cacheReadTokens\":0,\"totalTokens\":15,\"timestamp\":\"2026-11-16T10:00:00Z\",\"requestId\":\"a\","
            + "\"costUsd\":0.000075}\n"
            + "{\"model\":\"claude-sonnet\",\"inputTokens\":20,\"outputTokens\":0,\"cacheCreationTokens\":7,"
            + "\"cacheReadTokens\":0,\"totalTokens\":27,\"timestamp\":\"2026-11-16T10:00:00Z\",\"requestId\":null}\n");
    assertThat(cli.run("history", "--limit", "1", "--json").out()).startsWith("{\"model\":\"claude-sonnet\"")
        .hasLineCount(1);
    assertThat(cli.run("history").out()).contains("Time (UTC)").contains("2026-11-16 10:00:00  gpt-4o");
  }

  @Test
  void resetNeedsYesOffATerminalAndAsksOnOne() {
    track("gpt-4o", 6000, 0);
    CliHarness.Result refused = cli.run("reset");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("pass --yes to confirm");
    cli.terminal = true;
    cli.stdin = "n\n";
    assertThat(cli.run("reset").err()).contains("[y/N]").contains("Nothing was reset.");
    assertThat(cli.run("status", "--json").out()).contains("\"used\":6000");
    cli.stdin = "y\n";
    assertThat(cli.run("reset").out()).startsWith("Reset budget 'team' for the period 2026-11-01 00:00 UTC");
    assertThat(cli.run("status", "--json").out()).contains("\"used\":0").contains("\"firedThresholds\":[]");
    cli.terminal = false;
    track("gpt-4o", 6000, 0);
    assertThat(cli.run("reset", "--yes").exitCode()).isZero();
  }

  @Test
  void badInputIsAUsageError() {
    CliHarness.Result future = track("gpt-4o", 1, 1, "--at", "2026-11-17T00:00:00Z");
    assertThat(future.exitCode()).isEqualTo(2);
    assertThat(future.err()).contains("must not be more than 5 minutes in the future");
    CliHarness.Result negative = track("gpt-4o", -1, 1);
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.err()).contains("--input': must be a whole number of tokens, 0 or more, got \"-1\"");
    assertThat(cli.run("track", "--model", "x").exitCode()).isEqualTo(2);
    assertThat(cli.run("frobnicate").exitCode()).isEqualTo(2);
  }

  @Test
  void configErrorsExitTwoWithTheMessage() {
    cli.config("budget:\n  limit: -5\n");
    CliHarness.Result result = cli.run("status");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).isEqualTo(
        "tokenwatch: tokenwatch.yaml line 2: budget.limit must be a positive whole number of tokens such as 1000000, "
            + "or US dollars such as 250 USD, got \"-5\"\n");
    assertThat(result.out()).isEmpty();
    assertThat(cli.run("config").exitCode()).isEqualTo(2);
  }

  @Test
  void configPrintsTheEffectiveConfigurationWithSecretsRedacted() {
    cli.variables.put("DB_PASSWORD", "hunter2");
    cli.variables.put("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/XXXXSECRET");
    cli.write("other.yaml", """
        budget:
          limit: 5000
          alertThresholds: ["50%", 0.9]
        store:
          type: jdbc
          url: jdbc:postgresql://db:5432/tokens?user=tw&password=${DB_PASSWORD}
          user: tw
          password: ${DB_PASSWORD}
        notifiers:
          - type: slack
            webhookUrl: ${SLACK_WEBHOOK_URL}
        """);
    CliHarness.Result result = cli.run("config", "--config", "other.yaml");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).doesNotContain("hunter2").doesNotContain("XXXXSECRET").doesNotContain("T000")
        .contains("""
            budgets:
              - name: default
                limit: 5000
                period: monthly
                alertThresholds: [0.5, 0.9]
                zone: UTC
                historySize: 100
            store:
              type: jdbc
              url: "jdbc:postgresql://db:5432/tokens?user=tw&password=<redacted>"
              user: tw
              password: "<redacted>"
            notifiers:
              giveUpAfter: 24h
              waitOnExit: 3s
              sinks:
                - type: slack
                  webhookUrl: "https://hooks.slack.com/<redacted>"
            """);
    assertThat(result.out()).startsWith("# source: " + dir.resolve("other.yaml"));
  }

  @Test
  void jdbcStoreOnAnH2FileChosenByConfigKeepsUsageAcrossRuns() {
    cli.variables.put("H2_PASSWORD", "s3cret-h2");
    cli.write("h2.yaml", """
        budget:
          name: shared
          limit: 1000
        store:
          type: jdbc
          url: jdbc:h2:file:%s
          user: tw
          password: ${H2_PASSWORD}
        notifiers:
          - type: console
        """.formatted(dir.resolve("db").resolve("tokens").toString().replace('\\', '/')));
    CliHarness.Result first = cli.run("track", "--config", "h2.yaml", "--model", "m", "--input", "600", "--output", "0",
        "--request-id", "a");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err()).contains("token budget 'shared' at 60.0%").hasLineCount(1);
    CliHarness.Result again = cli.run("track", "--config", "h2.yaml", "--model", "m", "--input", "600", "--output", "0",
        "--request-id", "a");
    assertThat(again.out()).startsWith("Request a was already counted");
    assertThat(again.err()).isEmpty();
    CliHarness.Result second = cli.run("track", "--config", "h2.yaml", "--model", "m", "--input", "250", "--output", "0");
    assertThat(second.err()).contains("at 85.0%").hasLineCount(1);

    CliHarness.Result status = cli.run("status", "--json", "--config", "h2.yaml");
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).contains("\"used\":850").doesNotContain("s3cret-h2");
    assertThat(cli.run("config", "--config", "h2.yaml").out()).doesNotContain("s3cret-h2");
  }

  @Test
  void subcommandNamesMatchTheirAnnotationsAndAreFoundInArguments() {
    CliContext context = new CliContext(AppEnvironment.system(), System.out, System.err, false);
    Cli.SUBCOMMANDS.forEach((name, factory) -> assertThat(
        factory.create(context).getClass().getAnnotation(picocli.CommandLine.Command.class).name()).isEqualTo(name));
    assertThat(Cli.commandWord(new String[] {"--config", "status", "track", "--json"})).isEqualTo("track");
    assertThat(Cli.commandWord(new String[] {"--version"})).isEmpty();
    assertThat(Cli.createFor(new String[] {"status", "--json"}, context).getSubcommands()).containsOnlyKeys("status");
    assertThat(Cli.createFor(new String[] {"--help"}, context).getSubcommands()).hasSize(Cli.SUBCOMMANDS.size());
    assertThat(Cli.createFor(new String[] {"stauts"}, context).getSubcommands()).hasSize(Cli.SUBCOMMANDS.size());
  }

  @Test
  void globalOptionWorksBeforeAndAfterTheCommand() {
    cli.write("small.yaml", "budget:\n  limit: 42\nstore:\n  type: memory\n");
    assertThat(cli.run("--config", "small.yaml", "status", "--json").out()).contains("\"limit\":42");
    assertThat(cli.run("status", "--json", "--config", "small.yaml").out()).contains("\"limit\":42");
  }

  @Test
  void versionAndHelpNeedNoConfiguration() {
    cli.config("this: is: not: valid");
    CliHarness.Result version = cli.run("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("tokenwatch ");
    CliHarness.Result help = cli.run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Exit codes:").contains("3    store error").contains("demo")
        .contains("4    ingest --strict: a malformed line stopped the ingest").contains("ingest").contains("report");
    assertThat(cli.run("status", "--help").out()).contains("--json").contains("Exit codes:");
  }

  @Test
  void doctorReportsStoreAndNotifiers() {
    CliHarness.Result doctor = cli.run("doctor", "--test-alert");
    assertThat(doctor.exitCode()).isZero();
    assertThat(doctor.out()).contains("config     ok: " + dir.resolve("tokenwatch.yaml"))
        .contains("store      ok: file store in " + dir.resolve("usage"))
        .contains("notifier   ok: console (alerts on stderr): test alert delivered");
    assertThat(doctor.err()).contains("INFO").contains("token budget 'team' TEST ALERT from tokenwatch doctor")
        .doesNotContain("at 0.0%").hasLineCount(1);
  }

  @Test
  void demoShowsAlertsAndStatusAndLeavesNothingBehind() {
    CliHarness.Result demo = cli.run("demo");
    assertThat(demo.exitCode()).isZero();
    assertThat(demo.out()).contains("request req-demo-2 was already counted: nothing added")
        .contains("Budget  demo (monthly, UTC)").contains("[████████████████████] 10");
    assertThat(demo.err()).contains("at 5").contains("at 7").contains("at 8").contains("at 10").hasLineCount(4);
  }

  @Test
  void slackChosenByConfigReceivesTheAlertAndNeverShowsTheUrl() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    List<String> bodies = new CopyOnWriteArrayList<>();
    server.createContext("/services/T1/B1/", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, 2);
      exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
      exchange.close();
    });
    server.start();
    try {
      cli.variables.put("HOOK", "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T1/B1/topsecret");
      cli.config("""
          budget:
            name: team
            limit: 1000
          store:
            type: file
            path: usage
          notifiers:
            - type: slack
              webhookUrl: ${HOOK}
          """);
      CliHarness.Result tracked = track("gpt-4o", 900, 0);
      assertThat(tracked.exitCode()).as(tracked.err()).isZero();
      // The command waits for its alerts (notifiers.waitOnExit) before it returns.
      assertThat(bodies).hasSize(1);
      assertThat(bodies.get(0)).contains("team").contains("90.0%");
      CliHarness.Result config = cli.run("config");
      assertThat(config.out()).contains("webhookUrl: \"http://127.0.0.1:" + server.getAddress().getPort()
          + "/<redacted>\"").doesNotContain("topsecret");
      CliHarness.Result doctor = cli.run("doctor");
      assertThat(doctor.out()).contains("notifier   slack webhook").doesNotContain("topsecret");
    } finally {
      server.stop(0);
    }
  }
}
