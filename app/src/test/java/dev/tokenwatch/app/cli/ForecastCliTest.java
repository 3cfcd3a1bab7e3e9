package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forecast alerts through the CLI: each command is a new run of the CLI over the same store, so a
 * forecast fires once per period because its claim is in the store; a new period forecasts again.
 */
class ForecastCliTest {

  @TempDir
  Path dir;

  private CliHarness cli;

  private CliHarness.Result ok(String... args) {
    CliHarness.Result result = cli.run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isZero();
    return result;
  }

  private String track(long output, Instant at) {
    return ok("track", "--model", "gpt-4o", "--input", "0", "--output", String.valueOf(output), "--at", at.toString()).err();
  }

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"file", "h2"})
  void aForecastAlertFiresOncePerPeriodAcrossRuns(String store) {
    cli = new CliHarness(dir);
    String storeSection = store.equals("file") ? "store:\n  type: file\n  path: usage\n"
        : "store:\n  type: jdbc\n  url: jdbc:h2:file:" + dir.resolve("db").resolve("tokens").toString()
            .replace('\\', '/') + "\n";
    cli.config("budgets:\n  - {name: month, limit: 1000000, period: monthly, alertThresholds: [0.9],"
        + " forecastThresholds: [1.0]}\n" + storeSection + "notifiers:\n  - type: console\n");
    // 2026-11-16T12:00Z: 15.5 of November's 30 days have passed
    Instant now = CliHarness.NOW;

    String early = track(40_000, now); // projected 77,419: below 100%, and below the 5% minimum of evidence
    String first = track(560_000, now); // 600,000 in 15.5 days: 1,161,290 projected, 100% reached on Nov 26
    String second = track(10_000, now); // still projected past 100%: claimed already
    String status = ok("status").out();

    assertThat(early).isEmpty();
    assertThat(first.lines().count()).as(first).isEqualTo(1);
    assertThat(first).contains("'month'", "projected to reach 1,000,000 tokens (100.0%) on Nov 26 20:00 at this rate");
    assertThat(second).isEmpty();
    assertThat(status).contains("Forecast");

    cli.clock = () -> Instant.parse("2026-12-16T12:00:00Z");
    String nextPeriod = track(620_000, Instant.parse("2026-12-16T12:00:00Z"));
    assertThat(nextPeriod.lines().count()).as(nextPeriod).isEqualTo(1);
    assertThat(nextPeriod).contains("projected to reach 1,000,000 tokens (100.0%) on Dec 26 ");
  }
}
