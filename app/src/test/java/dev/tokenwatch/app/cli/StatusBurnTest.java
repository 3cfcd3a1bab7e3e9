package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status}'s burn rate from a known ledger: the average per day so far (per hour for a daily
 * budget), and the projection of the domain's Forecast, which is that rate over the whole period; no
 * projection before a tenth of the period has passed.
 */
class StatusBurnTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  CliHarness cli;

  /**
   * At the harness's now, Monday 2026-11-16 12:00 UTC: 15.5 days of November, 12 hours of the week and
   * of the day have passed. One call of gpt-4o, 1,000,000 in and 100,000 out: $2.50 + $1.00 = $3.50.
   */
  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
    cli.config("""
        budgets:
          - {name: month, limit: 3000000, period: monthly}
          - {name: week,  limit: 100 USD, period: weekly}
          - {name: day,   limit: 10 USD,  period: daily}
        store: {type: file, path: usage}
        notifiers: []
        """);
    CliHarness.Result tracked = cli.run("track", "--model", "gpt-4o", "--input", "1000000", "--output", "100000",
        "--at", "2026-11-16T11:00:00Z");
    assertThat(tracked.exitCode()).as(tracked.err()).isZero();
  }

  private String out(String... args) {
    CliHarness.Result result = cli.run(args);
    assertThat(result.exitCode()).as(result.err()).isZero();
    return result.out();
  }

  @Test
  void averagePerDaySoFarAndTheProjectedTotal() {
    // 1,100,000 / 15.5 days = 70,967.7 a day; x 30 days = 2,129,032 (71.0% of 3,000,000), not reaching the limit
    assertThat(out("status", "--budget", "month", "--no-ingest")).contains("""
        Burn    70,968 tokens a day on average so far (15d 12h); projected 2,129,032 (71.0%) by the period's end
        """);
    // $3.50 in 12 hours of a daily budget: $0.29 an hour; x 24 = $7.00 (70.0% of $10), the limit not reached
    assertThat(out("status", "--budget", "day", "--no-ingest")).contains("""
        Burn    $0.29 an hour on average so far (12h 0m); projected $7.00 (70.0%) by the period's end
        """);
  }

  @Test
  void noProjectionBeforeATenthOfThePeriod() {
    // 12 hours are 7.1% of the week: the rate, $7.00 a day, but no projection yet
    assertThat(out("status", "--budget", "week", "--no-ingest")).containsPattern(
        "\nBurn    \\$7\\.00 a day on average so far \\(12h 0m\\); no projection yet: it needs 10\\.0% of the period "
            + "gone and \\$[0-9.,]+ used\n");
  }

  @Test
  void theOverviewHasTheRateOnEachLine() {
    String overview = out("status", "--no-ingest");
    assertThat(overview).contains("(monthly, 14d 12h left; 70,968 tokens a day, projected 71.0%)\n")
        .contains("(weekly, 6d 12h left; $7.00 a day)\n")
        .contains("(daily, 12h 0m left; $0.29 an hour, projected 70.0%)\n");
  }

  @Test
  void jsonHasTheRateInTheBudgetsUnit() throws Exception {
    JsonNode budgets = JSON.readTree(out("status", "--json", "--no-ingest")).get("budgets");
    assertThat(budgets.get(0).get("burn").toString())
        .isEqualTo("{\"per\":\"day\",\"average\":70968,\"elapsedSeconds\":1339200}");
    assertThat(budgets.get(0).get("forecast").get("projected").asLong()).isEqualTo(2_129_032);
    assertThat(budgets.get(1).get("burn").toString())
        .isEqualTo("{\"per\":\"day\",\"average\":7,\"elapsedSeconds\":43200}");
    assertThat(budgets.get(1).get("forecast").isNull()).isTrue();
    // $3.50 / 12 = $0.291666667, rounded to the nano-dollar
    assertThat(budgets.get(2).get("burn").get("average").decimalValue()).isEqualByComparingTo("0.291666667");
    assertThat(budgets.get(2).get("burn").get("per").asText()).isEqualTo("hour");
  }
}
