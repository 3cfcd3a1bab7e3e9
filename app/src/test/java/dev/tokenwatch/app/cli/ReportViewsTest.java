package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.app.view.ReportCsv;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report}'s views through the CLI: tables that fit {@code COLUMNS} (compact numbers, then
 * fewer columns, then a cut session id), {@code --wide}, the daily chart in blocks or ASCII with the
 * budget's share of a day, and {@code --csv} read back and compared with {@code --json}.
 */
class ReportViewsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  CliHarness cli;

  /** Three events on 13 and 15 November; a monthly budget of 300,000,000 tokens: 10,000,000 a day of November. */
  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
    cli.config("""
        budget:
          name: team
          limit: 300000000
          period: monthly
        store:
          type: file
          path: usage
        notifiers: []
        """);
    track("gpt-4o", 40_000_000, 8_000_000, "2026-11-13T10:00:00Z", "--project", "/home/ann/alpha", "--session",
        "6f1c2a7e-5b8d-4c1e-9a3f-0d2b7c4e8f19");
    track("gpt-4o-mini", 1_000_000, 200_000, "2026-11-13T11:00:00Z", "--project", "/home/ann/beta", "--session", "s-2");
    track("gpt-4o", 12_000_000, 345_678, "2026-11-15T09:00:00Z", "--project", "/home/ann/alpha", "--session", "s-3",
        "--cache-read", "1234");
    cli.variables.put("LANG", "en_US.UTF-8");
  }

  private void track(String model, long input, long output, String at, String... more) {
    List<String> args = new ArrayList<>(List.of("track", "--model", model, "--input", Long.toString(input), "--output",
        Long.toString(output), "--at", at));
    args.addAll(List.of(more));
    CliHarness.Result result = cli.run(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.err()).isZero();
  }

  private String out(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--no-ingest");
    CliHarness.Result result = cli.run(all.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.err()).isZero();
    return result.out();
  }

  private static final String HEADER = """
      Budget 'team' (monthly, UTC), limit 300,000,000 tokens per month: daily report by model (UTC)

      """;

  /** The table as a pipe gets it: every column, exact numbers. */
  private static final String WIDE_TABLE = """
      Period       Model             Input     Output  Cache creation  Cache read       Total  Calls  Cost (USD)  Share of limit
      2026-11-13   gpt-4o       40,000,000  8,000,000               0           0  48,000,000      1     $180.00
                   gpt-4o-mini   1,000,000    200,000               0           0   1,200,000      1       $0.27
                   TOTAL        41,000,000  8,200,000               0           0  49,200,000      2     $180.27
      2026-11-15   gpt-4o       12,000,000    345,678               0       1,234  12,346,912      1      $33.46
                   TOTAL        12,000,000    345,678               0       1,234  12,346,912      1      $33.46

      All periods  TOTAL        53,000,000  8,545,678               0       1,234  61,546,912      3     $213.73
      """;

  @Test
  void pipedReportsGetEveryColumnExactlyAndAFortyCellChart() {
    cli.variables.remove("COLUMNS");
    // 49.2M is the widest bar: 40 cells; the share of a day, 10,000,000, falls in cell 8 (10/49.2 x 40 = 8.1)
    assertThat(out("report", "daily")).isEqualTo(HEADER + """
        2026-11-13  ████████│███████████████████████████████  49.2M  $180.27
        2026-11-14          │                                     0
        2026-11-15  ████████│█                                12.3M   $33.46
        │ budget 'team' per day: 10,000,000 tokens (its monthly limit of 300,000,000 tokens spread over the period's days)

        """ + WIDE_TABLE);
  }

  @Test
  void eightyColumnsGetCompactNumbersWithoutTheColumnsDroppedFirst() {
    cli.variables.put("COLUMNS", "80");
    String report = out("report", "daily");
    assertThat(report).isEqualTo(HEADER + """
        2026-11-13  ██████████│█████████████████████████████████████████  49.2M  $180.27
        2026-11-14            │                                               0
        2026-11-15  ██████████│██                                         12.3M   $33.46
        │ budget per day: 10,000,000 tokens

        Period       Model        Input  Output  Cache read  Total  Calls  Cost (USD)
        2026-11-13   gpt-4o       40.0M    8.0M           0  48.0M      1     $180.00
                     gpt-4o-mini   1.0M  200.0k           0   1.2M      1       $0.27
                     TOTAL        41.0M    8.2M           0  49.2M      2     $180.27
        2026-11-15   gpt-4o       12.0M  345.7k        1.2k  12.3M      1      $33.46
                     TOTAL        12.0M  345.7k        1.2k  12.3M      1      $33.46

        All periods  TOTAL        53.0M    8.5M        1.2k  61.5M      3     $213.73
        """);
    assertThat(report.lines().skip(1)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
  }

  @Test
  void fortyColumnsKeepPeriodModelTotalAndCostAndWideForcesEverything() {
    cli.variables.put("COLUMNS", "40");
    String table = """
        Period       Model        Total  Cost (USD)
        2026-11-13   gpt-4o       48.0M     $180.00
                     gpt-4o-mini   1.2M       $0.27
                     TOTAL        49.2M     $180.27
        2026-11-15   gpt-4o       12.3M      $33.46
                     TOTAL        12.3M      $33.46

        All periods  TOTAL        61.5M     $213.73
        """;
    String chart = """
        2026-11-13  ██│█████████  49.2M  $180.27
        2026-11-14    │               0
        2026-11-15  ██│           12.3M   $33.46
        │ budget per day: 10,000,000 tokens

        """;
    assertThat(out("report", "daily")).isEqualTo(HEADER + chart + table);
    // --wide: the whole table, exact, however narrow; the chart still fits the width
    assertThat(out("report", "daily", "--wide")).isEqualTo(HEADER + chart + WIDE_TABLE);
    assertThat(out("report", "monthly")).contains("""
        Period       Model        Total  Cost (USD)
        2026-11      gpt-4o       60.3M     $213.46
        """);
  }

  @Test
  void asciiWithTheOptionOrWhenTheLocaleIsNotUtf8() {
    cli.variables.put("COLUMNS", "40");
    String ascii = """
        2026-11-13  ##|#########  49.2M  $180.27
        2026-11-14    |               0
        2026-11-15  ##|           12.3M   $33.46
        | budget per day: 10,000,000 tokens
        """;
    assertThat(out("report", "daily", "--ascii")).startsWith(HEADER + ascii);
    cli.variables.put("LANG", "C");
    assertThat(out("report", "daily")).startsWith(HEADER + ascii);
    cli.variables.remove("LANG"); // the C locale
    assertThat(out("report", "daily")).startsWith(HEADER + ascii);
    cli.variables.put("LC_ALL", "C.UTF-8");
    assertThat(out("report", "daily")).startsWith(HEADER + "2026-11-13  ██│█████████");
    cli.variables.put("LANG", "en_US.UTF-8");
    cli.variables.put("LC_ALL", "POSIX"); // LC_ALL wins over LANG
    assertThat(out("report", "daily")).startsWith(HEADER + ascii);
  }

  @Test
  void everyTextViewIsPlainAsciiWhenTheLocaleIsNot() {
    cli.variables.put("COLUMNS", "40"); // narrow: cut ids get their ellipsis
    track("unpriced-model", 10, 1, "2026-11-15T10:00:00Z", "--session", "a-session-id-longer-than-the-column");
    cli.variables.put("LANG", "C");
    for (List<String> command : List.of(List.of("status"), List.of("report", "daily"), List.of("report", "session"),
        List.of("report", "monthly"))) {
      String text = out(command.toArray(String[]::new));
      assertThat(text.chars().filter(c -> c > 127).mapToObj(Character::toString).toList()).as(String.join(" ", command))
          .isEmpty();
    }
    assertThat(out("status")).contains("[####....");
    assertThat(cli.run("history").out()).contains("  -  ").doesNotContain("—");
    cli.variables.put("LANG", "en_US.UTF-8");
    assertThat(out("status")).contains("[██").contains("░] ");
    assertThat(out("status", "--ascii")).contains("[###").contains(".] ");
    assertThat(cli.run("history").out()).contains("  —  ");
  }

  @Test
  void narrowSessionReportsCutTheLongIdInTheMiddle() {
    cli.variables.put("COLUMNS", "40");
    assertThat(out("report", "session")).endsWith("""
        Session       Last (hour)       Total  Cost (USD)
        s-3           2026-11-15 09:00  12.3M      $33.46
        s-2           2026-11-13 11:00   1.2M       $0.27
        6f1c2…4e8f19  2026-11-13 10:00  48.0M     $180.00

        TOTAL                           61.5M     $213.73
        """);
    cli.variables.put("COLUMNS", "120");
    assertThat(out("report", "session")).endsWith("""
        Session                               Project          Last (hour)       Models       Total  Cost (USD)
        s-3                                   /home/ann/alpha  2026-11-15 09:00  gpt-4o       12.3M      $33.46
        s-2                                   /home/ann/beta   2026-11-13 11:00  gpt-4o-mini   1.2M       $0.27
        6f1c2a7e-5b8d-4c1e-9a3f-0d2b7c4e8f19  /home/ann/alpha  2026-11-13 10:00  gpt-4o       48.0M     $180.00

        TOTAL                                                                    3 sessions   61.5M     $213.73
        """);
    assertThat(out("report", "project", "--wide")).contains("/home/ann/alpha").contains("Cache creation")
        .contains("60,346,912");
  }

  @Test
  void csvReadsBackToTheJsonReportsFigures() throws Exception {
    String csv = out("report", "daily", "--csv");
    assertThat(csv).startsWith("start,end,model,inputTokens,outputTokens,cacheCreationTokens,cacheReadTokens,"
        + "totalTokens,calls,costUsd,unpricedEvents,unpricedTokens\r\n").endsWith("\r\n");
    List<List<String>> rows = Rfc4180.parse(csv);
    JsonNode json = JSON.readTree(out("report", "daily", "--json"));
    List<List<String>> expected = new ArrayList<>();
    for (JsonNode period : json.get("periods")) {
      for (JsonNode row : period.get("models")) {
        expected.add(List.of(period.get("start").asText(), period.get("end").asText(), row.get("model").asText(),
            row.get("inputTokens").asText(), row.get("outputTokens").asText(), row.get("cacheCreationTokens").asText(),
            row.get("cacheReadTokens").asText(), row.get("totalTokens").asText(), row.get("calls").asText(),
            row.get("costUsd").decimalValue().toPlainString(), "0", "0"));
      }
    }
    assertThat(rows.subList(1, rows.size())).isEqualTo(expected).hasSize(3);
    assertThat(new BigDecimal(rows.get(3).get(9))).isEqualByComparingTo("33.4583225");

    List<List<String>> sessions = Rfc4180.parse(out("report", "project", "--csv", "--breakdown"));
    assertThat(sessions.get(0)).containsExactly("project", "sessions", "firstHour", "lastHour", "model",
        "inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "totalTokens", "calls", "costUsd",
        "unpricedEvents", "unpricedTokens");
    assertThat(sessions.subList(1, sessions.size())).extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(4)
        + " " + r.get(9)).containsExactly("/home/ann/alpha 2 gpt-4o 60346912", "/home/ann/beta 1 gpt-4o-mini 1200000");
  }

  @Test
  void csvQuotesCommasQuotesAndLineBreaksAndLeavesAbsentValuesEmpty() {
    track("my-model", 5, 5, "2026-11-15T10:00:00Z", "--tag", "team=a,\"b\"");
    String csv = out("report", "daily", "--by", "tag:team", "--csv", "--since", "2026-11-15");
    List<List<String>> rows = Rfc4180.parse(csv);
    assertThat(rows.get(0).get(2)).isEqualTo("tag");
    // the tagged event has no price: an empty cost; the untagged one no tag: an empty tag
    assertThat(rows.subList(1, rows.size())).containsExactly(
        List.of("2026-11-15", "2026-11-16", "", "12000000", "345678", "0", "1234", "12346912", "1", "33.4583225", "0",
            "0"),
        List.of("2026-11-15", "2026-11-16", "a,\"b\"", "5", "5", "0", "0", "10", "1", "", "1", "10"));
    assertThat(csv).contains(",\"a,\"\"b\"\"\",");
    assertThat(ReportCsv.quoted("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(ReportCsv.quoted("plain")).isEqualTo("plain");
  }

  @Test
  void csvJsonAndHtmlToStdoutAreOneAtATime() {
    CliHarness.Result both = cli.run("report", "daily", "--csv", "--json", "--no-ingest");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).isEqualTo("tokenwatch: --json and --csv both write to stdout: choose one\n");
    CliHarness.Result html = cli.run("report", "daily", "--csv", "--html", "-", "--no-ingest");
    assertThat(html.err()).isEqualTo("tokenwatch: --csv and --html - both write to stdout: give --html a FILE\n");
  }

  /** A strict RFC 4180 reader, written from the RFC, independent of {@link ReportCsv}. */
  static final class Rfc4180 {
    static List<List<String>> parse(String text) {
      List<List<String>> records = new ArrayList<>();
      List<String> record = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      int i = 0;
      boolean quoted = false;
      boolean fieldStart = true;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
            continue;
          }
          if (c == '"') {
            quoted = false;
          } else {
            field.append(c);
          }
        } else if (c == '"' && fieldStart) {
          quoted = true;
        } else if (c == ',') {
          record.add(field.toString());
          field.setLength(0);
          fieldStart = true;
          i++;
          continue;
        } else if (c == '\r') {
          if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
            throw new AssertionError("CR without LF at " + i);
          }
          record.add(field.toString());
          field.setLength(0);
          records.add(record);
          record = new ArrayList<>();
          fieldStart = true;
          i += 2;
          continue;
        } else if (c == '"' || c == '\n') {
          throw new AssertionError("bare " + (c == '"' ? "quote" : "LF") + " at " + i + " in:\n" + text);
        } else {
          field.append(c);
        }
        fieldStart = false;
        i++;
      }
      if (quoted || !record.isEmpty() || field.length() > 0) {
        throw new AssertionError("the last record does not end with CRLF");
      }
      int columns = records.get(0).size();
      records.forEach(r -> assertThat(r).as("fields of " + r).hasSize(columns));
      return records;
    }
  }
}
