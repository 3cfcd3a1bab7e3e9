package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration as the CLI uses it: a bad value exits 2 naming file, line, key and value, and
 * {@code config} prints the hard limits and the alert delivery settings in the form the loader
 * reads back (tokenwatch-config's tests read every key).
 */
class ConfigCliTest {

  @TempDir
  Path dir;

  @Test
  void theCliExitsTwoNamingTheBadMode() {
    CliHarness cli = new CliHarness(dir).config("budget:\n  limit: 5\n  mode: hardest\n");
    CliHarness.Result result = cli.run("reserve", "--model", "gpt-4o", "--estimate", "1");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("tokenwatch.yaml line 3: budget.mode must be soft").contains("\"hardest\"");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void configShowsTheModeOfHardBudgetsAndTheTimeoutAndReadsThemBack() {
    CliHarness cli = new CliHarness(dir).config("""
        budgets:
          - {name: hard-one, limit: 1000, mode: hard}
          - {name: soft-one, limit: 2000}
        reservationTimeout: 90s
        prices:
          my-llama: {input: 0.2, output: 0.6}
        """);
    String printed = cli.run("config").out();
    assertThat(printed).contains("""
          - name: hard-one
            limit: 1000
            period: monthly
            alertThresholds: [0.5, 0.7, 0.8, 1.0]
            zone: UTC
            historySize: 100
            mode: hard
          - name: soft-one
        """).contains("\nreservationTimeout: 90s\n", "\nprices:\n");
    assertThat(printed.substring(printed.indexOf("- name: soft-one"))).doesNotContain("mode:");
    cli.write("printed.yaml", printed);
    AppConfig original = new ConfigLoader(cli.environment()).load(Optional.empty());
    AppConfig reread = new ConfigLoader(cli.environment()).load(Optional.of("printed.yaml"));
    assertThat(reread.budgets()).isEqualTo(original.budgets());
    assertThat(reread.reservationTimeout()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void configShowsHowLongAlertsAreDeliveredDefaultsIncludedAndReadsThemBack() {
    CliHarness cli = new CliHarness(dir).config("budget: {limit: 5}\n");
    assertThat(cli.run("config").out()).contains("""
        notifiers:
          giveUpAfter: 24h
          waitOnExit: 3s
          sinks:
            - type: console
        """);
    cli.config("budget: {limit: 5}\nnotifiers: {giveUpAfter: 90m, waitOnExit: 0s, sinks: [{type: console}]}\n");
    String printed = cli.run("config").out();
    assertThat(printed).contains("\nnotifiers:\n  giveUpAfter: 90m\n  waitOnExit: 0s\n  sinks:\n    - type: console\n");
    cli.write("printed.yaml", printed);
    AppConfig reread = new ConfigLoader(cli.environment()).load(Optional.of("printed.yaml"));
    assertThat(reread.notifierSettings().giveUpAfter()).isEqualTo(Duration.ofMinutes(90));
    assertThat(reread.notifierSettings().waitOnExit()).isZero();
    cli.config("notifiers:\n  sinks: [{type: slack, webhookUrl: \"https://hooks.slack.com/services/T0/B0/secret-path\"}]\n");
    assertThat(cli.run("config").out()).contains("""
        notifiers:
          giveUpAfter: 24h
          waitOnExit: 3s
          sinks:
            - type: slack
              webhookUrl: "https://hooks.slack.com/<redacted>"
        """).doesNotContain("secret-path");
  }

  @Test
  void aBadDeliverySettingExitsTwoNamingFileLineKeyAndValue() {
    CliHarness cli = new CliHarness(dir).config("notifiers:\n  giveUpAfter: 0h\n");
    CliHarness.Result result = cli.run("status");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("tokenwatch.yaml line 2: notifiers.giveUpAfter must be a positive whole number "
        + "of seconds, minutes or hours such as 90s, 10m or 1h (default 24h), got \"0h\"");
  }
}
