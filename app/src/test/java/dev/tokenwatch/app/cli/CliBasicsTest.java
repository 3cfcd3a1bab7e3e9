package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI basics of issue 20, each as a new user met it: messages about options, ratios, periods, non-logs. */
class CliBasicsTest {

  private static final String TWO_BUDGETS = """
      budgets:
        - name: month
          limit: 100000
        - name: day
          limit: 5000
          period: daily
      store:
        type: file
        path: usage-two
      notifiers: []
      sources: []
      """;

  @TempDir
  Path dir;

  private CliHarness cli;

  @BeforeEach
  void harness() {
    cli = new CliHarness(dir);
    cli.config("budget:\n  limit: 100000\nstore:\n  type: file\n  path: usage\nnotifiers: []\nsources: []\n");
  }

  @Test
  void errorsNameTheOptionAndNeverAJavaTypeOrField() {
    assertUsageError(cli.run("track", "--model", "m", "--input", "-5", "--output", "1"),
        "tokenwatch: Invalid value for option '--input': must be a whole number of tokens, 0 or more, got \"-5\"");
    assertUsageError(cli.run("track", "--model", "m", "--input", "abc", "--output", "1"),
        "tokenwatch: Invalid value for option '--input': must be a whole number of tokens, 0 or more, got \"abc\"");
    assertUsageError(cli.run("track", "--model", "m", "--input", "1", "--output", "1", "--total", "1"),
        "tokenwatch: --total must be at least the sum of the parts (2), got 1");
    assertUsageError(cli.run("track", "--model", "m", "--input", "1", "--output", "1", "--cache-read", "x"),
        "tokenwatch: Invalid value for option '--cache-read': must be a whole number of tokens, 0 or more, got \"x\"");
    assertUsageError(cli.run("track", "--model", " ", "--input", "1", "--output", "1"),
        "tokenwatch: --model must not be blank, got \" \"");
    assertUsageError(cli.run("track", "--model", "m", "--input", "1", "--output", "1", "--request-id", " "),
        "tokenwatch: --request-id must not be blank when given, got \" \"");
    assertUsageError(cli.run("track", "--model", "m", "--input", "99999999999999999999", "--output", "1"),
        "tokenwatch: Invalid value for option '--input': must be a whole number of tokens, 0 or more, at most "
            + "9,223,372,036,854,775,807, got \"99999999999999999999\"");
    assertUsageError(cli.run("track", "--model", "m", "--input", String.valueOf(Long.MAX_VALUE), "--output", "1"),
        "tokenwatch: the token counts add up to more than 9,223,372,036,854,775,807");
    assertUsageError(cli.run("commit", "r1", "--model", "m", "--input", "1", "--output", "-1"),
        "tokenwatch: Invalid value for option '--output': must be a whole number of tokens, 0 or more, got \"-1\"");
    assertUsageError(cli.run("reserve", "--model", "m", "--estimate", "abc"),
        "tokenwatch: Invalid value for option '--estimate': must be a whole number of tokens, 0 or more, got \"abc\"");
    assertUsageError(cli.run("reserve", "--model", "m", "--estimate", "-4"),
        "tokenwatch: Invalid value for option '--estimate': must be a whole number of tokens, 0 or more, got \"-4\"");
    assertUsageError(cli.run("history", "--limit", "abc"),
        "tokenwatch: Invalid value for option '--limit': must be a whole number, 1 or more, got \"abc\"");
    assertUsageError(cli.run("history", "--limit", "0"),
        "tokenwatch: Invalid value for option '--limit': must be a whole number, 1 or more, got \"0\"");
    assertUsageError(cli.run("report", "daily", "--since", "2026-11-10", "--until", "2026-11-01"),
        "tokenwatch: --until (2026-11-01) must not be before --since (2026-11-10)");
    assertUsageError(cli.run("reset", "--budget", "nope", "--yes"),
        "tokenwatch: --budget: no budget is named \"nope\"");
    cli.write("x.jsonl", "");
    assertUsageError(cli.run("ingest", "--project", " ", "x.jsonl"),
        "tokenwatch: --project must not be blank when given, got \" \"");
    assertUsageError(cli.run("check", "--at-most", "x"),
        "tokenwatch: Invalid value for option '--at-most': must be a ratio such as 0.8 or a percentage such as 80%");
  }

  @Test
  void checkTakesRatiosAndPercentagesWithinTheConfigsBoundsAndSaysWhat80Means() {
    CliHarness.Result eighty = cli.run("check", "--at-most", "80");
    assertUsageError(eighty, "tokenwatch: Invalid value for option '--at-most': must be above 0 and at most 10 "
        + "(1000%), for 80% write 0.8 or 80%, got \"80\"");
    assertUsageError(cli.run("check", "--at-most", "0"), "tokenwatch: Invalid value for option '--at-most': must be "
        + "above 0 and at most 10 (1000%)");
    assertUsageError(cli.run("check", "--at-most", "1001%"), "tokenwatch: Invalid value for option '--at-most': "
        + "must be above 0 and at most 10 (1000%)");
    assertUsageError(cli.run("check", "--at-most", "-0.5"), "tokenwatch: Invalid value for option '--at-most': "
        + "must be above 0 and at most 10 (1000%)");
    cli.run("track", "--model", "m", "--input", "85000", "--output", "0");
    CliHarness.Result percent = cli.run("check", "--at-most", "80%");
    assertThat(percent.exitCode()).as(percent.err()).isEqualTo(ExitCodes.OVER);
    assertThat(percent.out()).isEqualTo("over: 85.0% of budget 'default' used (85,000 of 100,000 tokens), at or over "
        + "80.0%\n");
    assertThat(cli.run("check", "--at-most", "0.9").exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(cli.run("check", "--at-most", "10").exitCode()).isEqualTo(ExitCodes.OK); // the bound itself
  }

  @Test
  void trackAtAnEarlierTimeSaysWhichPeriodTheEventWentTo() {
    CliHarness.Result past = cli.run("track", "--model", "m", "--input", "10", "--output", "0", "--at",
        "2025-03-02T10:00:00Z");
    assertThat(past.exitCode()).as(past.err()).isZero();
    assertThat(past.out()).isEqualTo("Tracked 10 tokens for m at 2025-03-02 10:00 UTC, in the period 2025-03 of "
        + "budget 'default', not its current one: 0 of 100,000 tokens used (0.0%), 100,000 remaining\n");
    assertThat(cli.run("track", "--model", "m", "--input", "10", "--output", "0").out())
        .isEqualTo("Tracked 10 tokens for m: 10 of 100,000 tokens used (0.0%), 99,990 remaining\n");

    cli.config(TWO_BUDGETS);
    assertThat(cli.run("track", "--model", "m", "--input", "10", "--output", "0", "--at", "2025-03-02T10:00:00Z")
        .out()).isEqualTo("""
            Tracked 10 tokens for m at 2025-03-02 10:00 UTC, outside every budget's current period:
              month  0 of 100,000 tokens used (0.0%), 100,000 remaining (the event counted in 2025-03)
              day    0 of 5,000 tokens used (0.0%), 5,000 remaining (the event counted in 2025-03-02)
            """);
    // earlier this month: in the monthly budget's current period, not in the daily one's
    assertThat(cli.run("track", "--model", "m", "--input", "10", "--output", "0", "--at", "2026-11-02T08:00:00Z")
        .out()).isEqualTo("""
            Tracked 10 tokens for m:
              month  10 of 100,000 tokens used (0.0%), 99,990 remaining
              day    0 of 5,000 tokens used (0.0%), 5,000 remaining (the event counted in 2026-11-02)
            """);
  }

  @Test
  void historyIsInTheEventsTimeOrderWithReportsColumnNames() {
    // tracked out of order: the history is by the events' time, not by when they were recorded
    track("2026-11-16T09:00:00Z", "r-late", 30);
    track("2026-11-16T07:00:00Z", "r-early", 10);
    track("2026-11-16T08:00:00Z", "r-middle", 20);
    CliHarness.Result history = cli.run("history");
    assertThat(history.exitCode()).as(history.err()).isZero();
    List<String> lines = history.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.subList(1, 4)).extracting(l -> l.substring(l.lastIndexOf(' ') + 1))
        .containsExactly("r-early", "r-middle", "r-late");
    assertThat(cli.run("history", "--limit", "2").out().lines().skip(1).map(l -> l.substring(l.lastIndexOf(' ') + 1)))
        .containsExactly("r-middle", "r-late");

    String reportHeader = cli.run("report", "daily").out().lines().filter(l -> l.startsWith("Period")).findFirst()
        .orElseThrow();
    List<String> reportColumns = Arrays.asList(reportHeader.trim().split(" {2,}"));
    List<String> historyColumns = Arrays.asList(lines.get(0).trim().split(" {2,}"));
    assertThat(historyColumns).containsExactly("Time (UTC)", "Model", "Input", "Output", "Cache creation",
        "Cache read", "Total", "Cost (USD)", "Request");
    // every column both have is named as report names it
    assertThat(reportColumns).containsAll(historyColumns.subList(1, 8));
  }

  @Test
  void ingestOfSomethingThatIsNoUsageLogSaysSoInTwoLinesAndFails() throws IOException {
    byte[] binary = new byte[20_000];
    new Random(20).nextBytes(binary);
    Files.write(dir.resolve("data.bin"), binary);
    CliHarness.Result bin = cli.run("ingest", "data.bin");
    assertThat(bin.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bin.out()).isEmpty();
    assertThat(bin.err()).hasLineCount(2).startsWith("tokenwatch: not a usage log: data.bin (none of its ")
        .contains("lines is a usage record, ").contains(dir.resolve("data.bin") + ":1: ")
        .contains("tokenwatch: ingest reads JSON Lines: ").doesNotContain("Ingest summary");
    // nothing was counted, so no read position is kept: the next run reads it again and says the same
    CliHarness.Result again = cli.run("ingest", "data.bin");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err()).isEqualTo(bin.err());

    // a PNG: its signature and a header chunk
    Files.write(dir.resolve("chart.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0,
        0x0d, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, '\n', 'x', (byte) 0xda, 0x01});
    CliHarness.Result png = cli.run("ingest", "chart.png");
    assertThat(png.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(png.err()).hasLineCount(2).startsWith("tokenwatch: not a usage log: chart.png (");

    cli.write("docs/readme.txt", "not a log\n").write("docs/sub/notes.md", "# notes\n");
    CliHarness.Result empty = cli.run("ingest", "docs");
    assertThat(empty.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(empty.err()).isEqualTo("tokenwatch: docs has no .jsonl or .json files (a directory is walked for "
        + "them): nothing to ingest\n");

    // a log with a few bad lines among its usage records is still a log: the summary, exit 0
    cli.write("mixed.jsonl", "garbage\n{\"model\":\"m\",\"inputTokens\":5,\"outputTokens\":1,"
        + "\"timestamp\":\"2026-11-16T09:00:00Z\",\"requestId\":\"x-1\"}\n");
    CliHarness.Result mixed = cli.run("ingest", "mixed.jsonl");
    assertThat(mixed.exitCode()).as(mixed.err()).isZero();
    assertThat(mixed.err()).contains("Ingest summary").contains("malformed lines  1");
    assertThat(cli.run("ingest", "mixed.jsonl").exitCode()).isZero(); // nothing new is no error either
  }

  @Test
  void anAlertDuringIngestFollowStartsOnItsOwnLineNotAfterTheProgressBar() throws Exception {
    cli.config("budget:\n  name: team\n  limit: 10000\n  alertThresholds: [0.5]\nstore:\n  type: file\n"
        + "  path: usage\nnotifiers:\n  - type: console\nsources: []\n");
    cli.terminal = true;
    cli.write("live/s.jsonl", usageLine("f1", 1000));
    CliHarness.Running follow = cli.start("ingest", "--follow", "live");
    follow.awaitErr("100%", Duration.ofSeconds(20)); // the bar of the first pass is drawn
    Files.writeString(dir.resolve("live/s.jsonl"), usageLine("f2", 5000), StandardOpenOption.APPEND);
    follow.awaitErr("token budget 'team' at 60.0%", Duration.ofSeconds(20));
    follow.context.shutDown();
    CliHarness.Result stopped = follow.await(Duration.ofSeconds(20));
    assertThat(stopped.exitCode()).as(stopped.err()).isZero();
    List<String> screen = screen(stopped.err());
    String alert = screen.stream().filter(l -> l.contains("token budget 'team' at 60.0%")).findFirst().orElseThrow();
    assertThat(alert).as("the alert's line on the terminal, of:\n%s", String.join("\n", screen))
        .matches("\\S [A-Z]+ +token budget 'team' at 60\\.0% .*").doesNotContain("MB/s").doesNotContain("[#");
    assertThat(screen).anyMatch(l -> l.startsWith("[##############################] 100%"));
  }

  /** What a terminal shows of {@code text}: lines, each as overwritten after carriage returns, colours dropped. */
  static List<String> screen(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.replaceAll("\u001b\\[[0-9;]*m", "").split("\n", -1)) {
      StringBuilder shown = new StringBuilder();
      int column = 0;
      for (char c : line.toCharArray()) {
        if (c == '\r') {
          column = 0;
        } else {
          if (column < shown.length()) {
            shown.setCharAt(column, c);
          } else {
            shown.append(c);
          }
          column++;
        }
      }
      lines.add(shown.toString().stripTrailing());
    }
    return lines;
  }

  private void track(String at, String requestId, long input) {
    CliHarness.Result result = cli.run("track", "--model", "m", "--input", String.valueOf(input), "--output", "0",
        "--at", at, "--request-id", requestId);
    assertThat(result.exitCode()).as(result.err()).isZero();
  }

  private static String usageLine(String id, long tokens) {
    return "{\"model\":\"m\",\"inputTokens\":" + tokens + ",\"outputTokens\":0,\"timestamp\":\"2026-11-16T09:00:00Z\","
        + "\"requestId\":\"" + id + "\"}\n";
  }

  private static void assertUsageError(CliHarness.Result result, String firstLineStart) {
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.USAGE);
    String first = result.err().lines().findFirst().orElse("");
    assertThat(first).startsWith(firstLineStart).doesNotContain("long").doesNotContain("null")
        .doesNotContain("Tokens ").doesNotContain("Tokens=").doesNotContain(" int");
  }
}
