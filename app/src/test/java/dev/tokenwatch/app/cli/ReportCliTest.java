package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} and {@code status} answer from the ledger: exact days whatever the budget's period
 * (also after the period is changed on the same store), usage charged to earlier periods named,
 * other zones, retention.
 */
class ReportCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  java.nio.file.Path dir;

  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
    cli.config(config("period: monthly", ""));
  }

  private static String config(String period, String storeExtra) {
    return """
        budget:
          name: team
          limit: 1000000
          %s
        store:
          type: file
          path: usage
          %s
        notifiers: []
        """.formatted(period, storeExtra);
  }

  private static String line(int n, Instant at, long input, long output) {
    return "{\"type\":\"assistant\",\"timestamp\":\"" + at + "\",\"requestId\":\"req_" + n + "\",\"message\":{\"id\":"
        + "\"msg_" + n + "\",\"model\":\"claude-sonnet-4\",\"usage\":{\"input_tokens\":" + input
        + ",\"output_tokens\":" + output + "}}}\n";
  }

  /** A log of November 1 to 16 (the harness's now is 16 November, 12:00 UTC) and the tokens per UTC day. */
  private Map<LocalDate, Long> writeNovember(String name) {
    Random random = new Random(13);
    Map<LocalDate, Long> perDay = new TreeMap<>();
    StringBuilder log = new StringBuilder();
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    for (int n = 0; n < 400; n++) {
      Instant at = start.plusSeconds(random.nextInt(15 * 86_400 + 11 * 3600));
      long input = 1 + random.nextInt(5000);
      long output = random.nextInt(800);
      log.append(line(n, at, input, output));
      perDay.merge(at.atZone(ZoneOffset.UTC).toLocalDate(), input + output, Long::sum);
    }
    cli.write(name, log.toString());
    return perDay;
  }

  private JsonNode json(String... args) throws IOException {
    CliHarness.Result result = cli.run(args);
    assertThat(result.exitCode()).as(result.err()).isZero();
    return JSON.readTree(result.out());
  }

  private static Map<LocalDate, Long> days(JsonNode report) {
    Map<LocalDate, Long> days = new TreeMap<>();
    for (JsonNode period : report.get("periods")) {
      days.put(LocalDate.parse(period.get("start").asText()), period.get("total").get("totalTokens").asLong());
    }
    return days;
  }

  @Test
  void switchingAMonthlyBudgetToDailyKeepsEveryDayExact() throws IOException {
    Map<LocalDate, Long> oracle = writeNovember("november.jsonl");
    assertThat(cli.run("ingest", "november.jsonl").exitCode()).isZero();

    assertThat(days(json("report", "daily", "--json"))).as("daily report of a monthly budget").isEqualTo(oracle);

    cli.config(config("period: daily", ""));
    assertThat(days(json("report", "daily", "--json"))).as("after the switch").isEqualTo(oracle);
    assertThat(json("status", "--json").get("budgets").get(0).get("used").asLong()).as("today from the ledger")
        .isEqualTo(oracle.get(LocalDate.of(2026, 11, 16)));
    JsonNode weekly = json("report", "weekly", "--json");
    assertThat(weekly.get("periods").get(0).get("limit").asLong()).as("a week of a daily budget").isEqualTo(7_000_000);

    cli.config(config("period: monthly", ""));
    assertThat(days(json("report", "daily", "--json"))).as("and back").isEqualTo(oracle);
    long november = oracle.values().stream().mapToLong(Long::longValue).sum();
    assertThat(json("status", "--json").get("budgets").get(0).get("used").asLong()).isEqualTo(november);
  }

  @Test
  void sinceAndUntilAreExactDaysInTheReportsZone() throws IOException {
    Map<LocalDate, Long> oracle = writeNovember("november.jsonl");
    cli.run("ingest", "november.jsonl");

    JsonNode part = json("report", "monthly", "--json", "--since", "2026-11-05", "--until", "2026-11-09");
    long expected = oracle.entrySet().stream()
        .filter(e -> !e.getKey().isBefore(LocalDate.of(2026, 11, 5)) && !e.getKey().isAfter(LocalDate.of(2026, 11, 9)))
        .mapToLong(Map.Entry::getValue).sum();
    assertThat(part.get("total").get("totalTokens").asLong()).as("not snapped to the month").isEqualTo(expected);
    assertThat(part.get("since").asText()).isEqualTo("2026-11-05");

    JsonNode kolkata = json("report", "daily", "--json", "--timezone", "Asia/Kolkata");
    assertThat(kolkata.get("zone").asText()).isEqualTo("Asia/Kolkata");
    assertThat(kolkata.get("periods").get(0).get("start").asText()).isEqualTo("2026-11-01");
    assertThat(kolkata.get("periods").get(0).get("limit").isNull()).as("days of another zone have no limit").isTrue();
    assertThat(kolkata.get("total").get("totalTokens").asLong())
        .isEqualTo(oracle.values().stream().mapToLong(Long::longValue).sum());
    CliHarness.Result text = cli.run("report", "daily", "--since", "2026-11-05", "--until", "2026-11-06");
    assertThat(text.out()).contains("daily report by model, 2026-11-05 to 2026-11-06 (UTC)");
  }

  @Test
  void usageChargedToEarlierPeriodsIsNamedByIngestAndStatus() {
    cli.write("october.jsonl", line(1, Instant.parse("2026-10-20T10:00:00Z"), 2_000_000, 0)
        + line(2, Instant.parse("2026-11-16T10:00:00Z"), 1000, 0));
    CliHarness.Result ingest = cli.run("ingest", "october.jsonl");
    assertThat(ingest.err()).contains("  earlier periods  2,000,000 tokens charged to earlier periods (2026-10: 200.0% "
        + "of its limit): see 'tokenwatch report monthly'");
    CliHarness.Result status = cli.run("status");
    assertThat(status.out()).contains("Earlier 2,000,000 tokens in the previous period (2026-10: 200.0% of its limit): "
        + "see 'tokenwatch report monthly'");
  }

  @Test
  void retentionDropsOldUsageAndTheReportSaysSo() throws IOException {
    cli.config(config("period: monthly", "retention: 20d"));
    cli.write("log.jsonl", line(1, Instant.parse("2026-10-20T10:00:00Z"), 500, 0)
        + line(2, Instant.parse("2026-11-10T10:00:00Z"), 70, 0));
    CliHarness.Result ingest = cli.run("ingest", "log.jsonl");
    assertThat(ingest.err()).contains("  past retention   1 (older than store.retention keeps: not kept)");

    JsonNode all = json("report", "monthly", "--json");
    assertThat(all.get("total").get("totalTokens").asLong()).isEqualTo(70);
    assertThat(all.get("retainedFrom").asText()).isEqualTo("2026-10-27T00:00:00Z");
    assertThat(all.get("reachesBeforeRetained").asBoolean()).isTrue();
    assertThat(cli.run("report", "monthly").out()).contains("Note: usage before 2026-10-27 00:00 UTC was dropped by "
        + "the store's retention; the figures start there.");
    assertThat(json("report", "monthly", "--json", "--since", "2026-11-01").get("reachesBeforeRetained").asBoolean())
        .isFalse();
  }
}
