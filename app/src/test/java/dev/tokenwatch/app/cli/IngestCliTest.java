package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.Secret;
import dev.tokenwatch.config.StoreConfig;
import dev.tokenwatch.domain.TokenBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/** {@code ingest} and {@code report} run in-process against temporary directories. */
class IngestCliTest {

  /** Chat Completions (400 of the 1,000 prompt tokens cached) and Responses API: 1,200 + 400 tokens. */
  static final String OPENAI = """
      {"id":"chatcmpl-1","object":"chat.completion","created":1794823200,"model":"gpt-4o","choices":[],\
      "usage":{"prompt_tokens":1000,"completion_tokens":200,"total_tokens":1200,\
      "prompt_tokens_details":{"cached_tokens":400}}}
      {"id":"resp_1","object":"response","created_at":1794823200,"model":"gpt-4o-mini",\
      "usage":{"input_tokens":300,"output_tokens":100,"total_tokens":400}}
      """;
  /** Two Messages responses without a time of their own: 200 + 15 tokens charged at ingest time. */
  static final String ANTHROPIC = """
      {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4","content":[],\
      "usage":{"input_tokens":100,"output_tokens":50,"cache_creation_input_tokens":20,"cache_read_input_tokens":30}}
      {"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4","content":[],\
      "usage":{"input_tokens":10,"output_tokens":5}}
      """;
  /**
   * A Claude Code session: a user turn, one message on two lines with growing usage (155 counts),
   * another message (100), a synthetic entry: 255 tokens.
   */
  static final String CLAUDE_CODE = """
      {"type":"user","timestamp":"2026-11-16T09:00:00.000Z","message":{"role":"user","content":"hi"}}
      {"type":"assistant","timestamp":"2026-11-16T09:00:01.000Z","requestId":"req_a","message":{"id":"msg_a",\
      "model":"claude-opus-4","content":[{"type":"text","text":"Hel"}],\
      "usage":{"input_tokens":5,"output_tokens":1,"cache_read_input_tokens":100}}}
      {"type":"assistant","timestamp":"2026-11-16T09:00:02.000Z","requestId":"req_a","message":{"id":"msg_a",\
      "model":"claude-opus-4","content":[{"type":"text","text":"Hello"}],\
      "usage":{"input_tokens":5,"output_tokens":40,"cache_creation_input_tokens":10,"cache_read_input_tokens":100}}}
      {"type":"assistant","timestamp":"2026-11-16T09:05:00.000Z","requestId":"req_b","message":{"id":"msg_b",\
      "model":"claude-opus-4","usage":{"input_tokens":50,"output_tokens":50}}}
      {"type":"assistant","timestamp":"2026-11-16T09:06:00.000Z","message":{"id":"msg_s","model":"<synthetic>",\
      "usage":{"input_tokens":0,"output_tokens":0}}}
      """;
  /** tokenwatch's own event JSON: 100 tokens. */
  static final String TOKENWATCH = """
      {"model":"gpt-4o","inputTokens":70,"outputTokens":30,"cacheCreationTokens":0,"cacheReadTokens":0,\
      "totalTokens":100,"timestamp":"2026-11-15T09:00:00Z","requestId":"tw-1"}
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
    cli.config(config("team", "usage"));
  }

  private static String config(String budget, String storePath) {
    return """
        budget:
          name: %s
          limit: 10000
        store:
          type: file
          path: %s
        notifiers:
          - type: console
        """.formatted(budget, storePath);
  }

  private long used(String... configArgs) throws IOException {
    String[] args = Stream.concat(Stream.of("status", "--json"), Stream.of(configArgs)).toArray(String[]::new);
    CliHarness.Result status = cli.run(args);
    assertThat(status.exitCode()).as(status.err()).isZero();
    return JSON.readTree(status.out()).get("budgets").get(0).get("used").asLong();
  }

  /** The value of a summary row such as "  tokens added     1,600". */
  private static String summary(CliHarness.Result result, String label) {
    Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(label) + " +(\\S+)").matcher(result.err());
    assertThat(m.find()).as("summary row '" + label + "' in:\n" + result.err()).isTrue();
    return m.group(1);
  }

  private CliHarness.Result ingest(String... args) {
    String[] all = Stream.concat(Stream.of("ingest"), Stream.of(args)).toArray(String[]::new);
    CliHarness.Result result = cli.run(all);
    assertThat(result.exitCode()).as(result.err()).isZero();
    return result;
  }

  private void writeFixtures() {
    cli.write("logs/api/openai.jsonl", OPENAI)
        .write("logs/api/anthropic.jsonl", ANTHROPIC)
        .write("logs/claude/projects/p1/session.jsonl", CLAUDE_CODE)
        .write("logs/export.json", TOKENWATCH)
        .write("logs/notes.txt", "not a log: a directory walk takes *.jsonl and *.json only\n");
  }

  @Test
  void ingestsEachFormatAndASecondRunChangesNothing() throws IOException {
    writeFixtures();
    CliHarness.Result openai = ingest("--format", "openai", "logs/api/openai.jsonl");
    assertThat(summary(openai, "tokens added")).isEqualTo("1,600");
    assertThat(summary(openai, "events ingested")).isEqualTo("2");

    CliHarness.Result anthropic = ingest("--format", "anthropic", "logs/api/anthropic.jsonl");
    assertThat(summary(anthropic, "tokens added")).isEqualTo("215");
    assertThat(summary(anthropic, "at ingest time")).isEqualTo("2");

    CliHarness.Result claude = ingest("--format", "claude-code", "logs/claude/projects/p1/session.jsonl");
    assertThat(summary(claude, "tokens added")).isEqualTo("255");
    assertThat(summary(claude, "non-usage lines")).isEqualTo("2");
    assertThat(summary(claude, "at ingest time")).isEqualTo("0");

    CliHarness.Result tokenwatch = ingest("--format", "tokenwatch", "logs/export.json");
    assertThat(summary(tokenwatch, "tokens added")).isEqualTo("100");
    assertThat(used()).isEqualTo(2170);

    // The whole tree again, detected per line: every file is unchanged, so none is even read.
    CliHarness.Result again = ingest("logs");
    assertThat(again.err()).startsWith("Ingest summary: 4 files, 0 with new lines; 0 lines");
    assertThat(summary(again, "events ingested")).isEqualTo("0");
    assertThat(summary(again, "tokens added")).isEqualTo("0");
    assertThat(used()).isEqualTo(2170);
    assertThat(dir.resolve("usage/ingest/team/ingest-offsets.json")).exists();
  }

  @Test
  void aDirectoryTreeInMixedFormatsIsDetectedPerLine() throws IOException {
    writeFixtures();
    CliHarness.Result result = ingest("logs");
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).startsWith("Ingest summary: 4 files, 4 with new lines; 10 lines");
    assertThat(summary(result, "tokens added")).isEqualTo("2,170");
    assertThat(summary(result, "malformed lines")).isEqualTo("0");
    assertThat(result.err()).contains("  events ingested  8 (1 replacing an earlier, smaller record of the same request)")
        .contains("  budget           'team' 2,170 of 10,000 tokens used this period (21.7%)");
    assertThat(used()).isEqualTo(2170);

    // Appended lines are read from the saved offset on; a repeated message counts once.
    Files.writeString(dir.resolve("logs/claude/projects/p1/session.jsonl"), CLAUDE_CODE.lines().skip(3)
        .map(line -> line.replace("msg_b", "msg_c")).reduce("", (a, b) -> a + b + "\n"), StandardOpenOption.APPEND);
    CliHarness.Result appended = ingest("logs");
    assertThat(appended.err()).startsWith("Ingest summary: 4 files, 1 with new lines; 2 lines");
    assertThat(summary(appended, "tokens added")).isEqualTo("100");
    assertThat(used()).isEqualTo(2270);
  }

  @Test
  void standardInputIsReadWithDash() throws IOException {
    cli.stdin = CLAUDE_CODE;
    CliHarness.Result first = ingest("-");
    assertThat(summary(first, "tokens added")).isEqualTo("255");
    assertThat(first.err()).startsWith("Ingest summary: 1 files, 1 with new lines; 5 lines");
    // Standard input has no offsets, but every record has a key: read again, nothing is added.
    CliHarness.Result again = ingest("-");
    assertThat(summary(again, "events ingested")).isEqualTo("0");
    assertThat(summary(again, "duplicates")).isEqualTo("3"); // msg_a's two lines and msg_b
    assertThat(used()).isEqualTo(255);
  }

  @Test
  void malformedLinesAreReportedWithFileAndLineAndTheRestIsIngested() throws IOException {
    StringBuilder log = new StringBuilder(CLAUDE_CODE);
    log.append("{not json\n");
    for (int i = 0; i < 11; i++) {
      log.append("{\"id\":\"msg_x").append(i).append("\",\"type\":\"message\",\"model\":\"claude-sonnet-4\",")
          .append("\"usage\":{\"input_tokens\":-").append(i + 1).append(",\"output_tokens\":1}}\n");
    }
    cli.write("bad.jsonl", log.toString());
    CliHarness.Result result = ingest("bad.jsonl");
    String file = dir.resolve("bad.jsonl").toString();
    assertThat(summary(result, "malformed lines")).isEqualTo("12");
    assertThat(result.err()).contains("    " + file + ":6: ")
        .contains("    " + file + ":7: ").contains("input_tokens").contains("-1")
        .contains("    " + file + ":15: ").doesNotContain(file + ":16:")
        .contains("    ... and 2 more\n");
    assertThat(summary(result, "tokens added")).isEqualTo("255");

    // a usage record, then a line that is none (a file of only such lines is no usage log: exit 2)
    cli.write("other.jsonl", TOKENWATCH.replace("tw-1", "tw-other") + "[1,2]\n");
    CliHarness.Result quiet = ingest("--quiet", "other.jsonl");
    assertThat(quiet.err()).isEqualTo("tokenwatch: 1 malformed lines skipped:\n    "
        + dir.resolve("other.jsonl") + ":2: " + quiet.err().split(":2: ", 2)[1]);
    assertThat(quiet.err()).doesNotContain("Ingest summary");
  }

  @Test
  void strictStopsAtTheFirstMalformedLineWithExitCodeFour() throws IOException {
    cli.write("bad.jsonl", CLAUDE_CODE + "{not json\n" + CLAUDE_CODE.replace("msg_", "msg2_"));
    CliHarness.Result strict = cli.run("ingest", "--strict", "bad.jsonl");
    assertThat(strict.exitCode()).isEqualTo(4);
    assertThat(strict.err()).startsWith("tokenwatch: " + dir.resolve("bad.jsonl") + ":6: ")
        .contains("--strict stops at the first malformed line");
    assertThat(used()).isEqualTo(255); // the lines before it count
    // The next run starts at the same line again.
    assertThat(cli.run("ingest", "--strict", "bad.jsonl").exitCode()).isEqualTo(4);
    assertThat(used()).isEqualTo(255);
  }

  @Test
  void missingPathsAndBadOptionsAreUsageErrors() {
    CliHarness.Result missing = cli.run("ingest", "nope.jsonl");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).startsWith("tokenwatch: no such file or directory: nope.jsonl ("
        + dir.resolve("nope.jsonl") + ")\n");
    CliHarness.Result format = cli.run("ingest", "--format", "csv", "-");
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.err()).contains("format must be one of auto, openai, anthropic, claude-code, codex, tokenwatch, "
        + "got \"csv\"");
    assertThat(cli.run("ingest").exitCode()).isEqualTo(2);
  }

  @Test
  void historyJsonReimportsIntoAnotherStoreWithEqualTotals() throws IOException {
    writeFixtures();
    ingest("logs");
    cli.run("track", "--model", "gpt-4o", "--input", "40", "--output", "2", "--at", "2026-11-16T11:00:00Z");
    CliHarness.Result history = cli.run("history", "--json");
    assertThat(history.out()).hasLineCount(8);
    cli.write("export.jsonl", history.out());
    cli.write("second.yaml", config("copy", "usage-copy"));

    CliHarness.Result imported = cli.run("ingest", "--format", "tokenwatch", "export.jsonl", "--config", "second.yaml");
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(summary(imported, "events ingested")).isEqualTo("8");
    assertThat(summary(imported, "malformed lines")).isEqualTo("0");
    assertThat(used("--config", "second.yaml")).isEqualTo(used()).isEqualTo(2212);
    JsonNode original = JSON.readTree(cli.run("report", "monthly", "--json").out()).get("total");
    JsonNode copy = JSON.readTree(cli.run("report", "monthly", "--json", "--config", "second.yaml").out()).get("total");
    assertThat(copy).isEqualTo(original);
  }

  @Test
  void reportShowsPeriodsModelsTotalsAndShares() throws IOException {
    cli.write("logs/oct.jsonl", TOKENWATCH.replace("2026-11-15", "2026-10-20").replace("tw-1", "tw-0"));
    writeFixtures();
    ingest("logs");
    CliHarness.Result report = cli.run("report", "monthly");
    assertThat(report.exitCode()).as(report.err()).isZero();
    assertThat(report.out()).isEqualTo("""
        Budget 'team' (monthly, UTC), limit 10,000 tokens per month: monthly report by model (UTC)

        Period       Model            Input  Output  Cache creation  Cache read  Total  Calls  Cost (USD)  Share of limit
        2026-10      gpt-4o              70      30               0           0    100      1    $0.00048
                     TOTAL               70      30               0           0    100      1    $0.00048  1.0% of 10,000
        2026-11      gpt-4o             670     230               0         400  1,300      2     $0.0045
                     gpt-4o-mini        300     100               0           0    400      1    $0.00011
                     claude-opus-4       55      90              10         100    255      2     $0.0079
                     claude-sonnet-4    110      55              20          30    215      2     $0.0012
                     TOTAL            1,135     475              30         530  2,170      7       $0.01  21.7% of 10,000

        All periods  TOTAL            1,205     505              30         530  2,270      8       $0.01
        """);

    JsonNode json = JSON.readTree(cli.run("report", "monthly", "--json", "--since", "2026-11-01").out());
    assertThat(json.get("granularity").asText()).isEqualTo("monthly");
    assertThat(json.get("periods")).hasSize(1);
    JsonNode november = json.get("periods").get(0);
    assertThat(november.get("start").asText()).isEqualTo("2026-11-01");
    assertThat(november.get("end").asText()).isEqualTo("2026-12-01");
    assertThat(november.get("limit").asLong()).isEqualTo(10000);
    assertThat(november.get("shareOfLimit").asDouble()).isEqualTo(0.217);
    assertThat(november.get("models").get(0).get("model").asText()).isEqualTo("gpt-4o");
    // cost priced when recorded, in micro-dollars (USD per M tokens: gpt-4o 2.5/10, cache read 1.25; gpt-4o-mini
    // 0.15/0.6; claude-opus-4 15/75, 5-minute cache write 18.75, cache read 1.5; claude-sonnet-4 3/15/3.75/0.3):
    // gpt-4o 70x2.5 + 30x10 + 600x2.5 + 400x1.25 + 200x10 = 4,475; gpt-4o-mini 300x0.15 + 100x0.6 = 105;
    // claude-opus-4 5x15 + 40x75 + 10x18.75 + 100x1.5 + 50x15 + 50x75 = 7,912.5;
    // claude-sonnet-4 100x3 + 50x15 + 20x3.75 + 30x0.3 + 10x3 + 5x15 = 1,239
    assertThat(november.get("total").toString()).isEqualTo("{\"model\":\"TOTAL\",\"inputTokens\":1135,"
        + "\"outputTokens\":475,\"cacheCreationTokens\":30,\"cacheReadTokens\":530,\"totalTokens\":2170,\"calls\":7,"
        + "\"costUsd\":0.0137315}");
    assertThat(json.get("total").get("totalTokens").asLong()).isEqualTo(2170);

    CliHarness.Result opus = cli.run("report", "monthly", "--model", "claude-opus-4", "--until", "2026-10-31");
    assertThat(opus.out()).endsWith("No usage recorded in this range.\n");
  }

  @Test
  void badReportArgumentsAreUsageErrorsWithTheReason() {
    CliHarness.Result hourly = cli.run("report", "hourly");
    assertThat(hourly.exitCode()).isEqualTo(2);
    assertThat(hourly.err()).contains("must be one of daily, weekly, monthly, session, project, got \"hourly\"");
    CliHarness.Result backwards = cli.run("report", "monthly", "--since", "2026-11-02", "--until", "2026-11-01");
    assertThat(backwards.exitCode()).isEqualTo(2);
    assertThat(backwards.err()).isEqualTo("tokenwatch: --until (2026-11-01) must not be before --since (2026-11-02)\n");
    assertThat(cli.run("report", "monthly", "--since", "yesterdy").err())
        .contains("must be a day such as 2026-11-01 or 20261101, or 7d, today, yesterday, this-week, last-week, "
            + "this-month or last-month, got \"yesterdy\"");
    assertThat(cli.run("report", "daily", "--by", "user").err())
        .contains("must be one of model, project, session, tag:KEY, got \"user\"");
    assertThat(cli.run("report", "daily", "--tag", "team").err())
        .contains("--tag must be KEY=VALUE such as team=search, got \"team\"");
    assertThat(cli.run("report", "daily", "--timezone", "Mars/Olympus").err())
        .contains("must be a time zone such as UTC or Europe/Berlin, got \"Mars/Olympus\"");
  }

  @Test
  void aDailyBudgetReportsDailyWeeklyAndMonthly() {
    cli.config(config("team", "usage").replace("limit: 10000", "limit: 1000\n  period: daily"));
    cli.write("c.jsonl", CLAUDE_CODE + TOKENWATCH);
    ingest("c.jsonl");
    assertThat(cli.run("report", "daily").out()).contains("2026-11-15   gpt-4o").contains("10.0% of 1,000")
        .contains("2026-11-16   claude-opus-4").contains("25.5% of 1,000");
    assertThat(cli.run("report", "weekly").out()).contains("2026-11-09 to 2026-11-15").contains("1.4% of 7,000")
        .contains("2026-11-16 to 2026-11-22");
    assertThat(cli.run("report", "monthly").out()).contains("1.2% of 30,000");
  }

  @Test
  void alertsFireOnceAsIngestCrossesThresholds() throws IOException {
    cli.write("s.jsonl", assistantLine("m1", 5500));
    CliHarness.Result first = ingest("s.jsonl");
    assertThat(alerts(first)).containsExactly("at 55.0%");

    Files.writeString(dir.resolve("s.jsonl"), assistantLine("m2", 1000) + assistantLine("m3", 2000),
        StandardOpenOption.APPEND);
    CliHarness.Result second = ingest("s.jsonl");
    assertThat(alerts(second)).containsExactly("at 85.0%");

    assertThat(alerts(ingest("s.jsonl"))).isEmpty();
    cli.stdin = Files.readString(dir.resolve("s.jsonl"));
    assertThat(alerts(ingest("-"))).isEmpty(); // all counted already: nothing new to alert on
    assertThat(used()).isEqualTo(8500);
  }

  private static String assistantLine(String messageId, long outputTokens) {
    return "{\"type\":\"assistant\",\"timestamp\":\"2026-11-16T09:00:00.000Z\",\"requestId\":\"r-" + messageId
        + "\",\"message\":{\"id\":\"" + messageId + "\",\"model\":\"claude-opus-4\",\"usage\":{\"input_tokens\":0,"
        + "\"output_tokens\":" + outputTokens + "}}}\n";
  }

  private static List<String> alerts(CliHarness.Result result) {
    Matcher m = Pattern.compile("token budget 'team' (at \\d+\\.\\d%)").matcher(result.err());
    return m.results().map(r -> r.group(1)).toList();
  }

  @Test
  void progressBarOnlyOnATerminalAndNeverWhenQuiet() {
    cli.write("c.jsonl", CLAUDE_CODE);
    assertThat(ingest("c.jsonl").err()).doesNotContain("\r").doesNotContain("MB/s");
    cli.terminal = true;
    cli.write("d.jsonl", CLAUDE_CODE.replace("msg_", "msg_d"));
    assertThat(ingest("d.jsonl").err()).contains("\r[##############################] 100%").contains("MB/s")
        .contains("Ingest summary");
    cli.write("e.jsonl", CLAUDE_CODE.replace("msg_", "msg_e"));
    assertThat(ingest("--quiet", "e.jsonl").err()).isEmpty();
  }

  @Test
  void followIngestsAppendedLinesUntilStoppedThenPrintsTheSummary() throws Exception {
    cli.write("live/session.jsonl", assistantLine("f1", 3000));
    CliHarness.Running follow = cli.start("ingest", "--follow", "live");
    follow.awaitErr("following live for new lines; Ctrl-C stops.", Duration.ofSeconds(20));
    Files.writeString(dir.resolve("live/session.jsonl"), assistantLine("f2", 3000), StandardOpenOption.APPEND);
    follow.awaitErr("token budget 'team' at 60.0%", Duration.ofSeconds(20)); // counted: the 50% alert fired
    // A new session file in the watched directory is picked up too.
    cli.write("live/next.jsonl", assistantLine("f3", 1500));
    follow.awaitErr("token budget 'team' at 75.0%", Duration.ofSeconds(20));
    follow.context.shutDown(); // what the shutdown hook does on Ctrl-C
    CliHarness.Result stopped = follow.await(Duration.ofSeconds(20));
    assertThat(stopped.exitCode()).isZero();
    assertThat(stopped.err()).contains("Ingest summary: 2 files").containsPattern("(?m)^  events ingested +3$")
        .contains("tokens added     7,500");
    assertThat(used()).isEqualTo(7500);
    assertThat(alerts(stopped)).containsExactly("at 60.0%", "at 75.0%");
  }

  @Test
  void memoryStoreKeepsNoOffsetsAndJdbcStoreKeysThemByUrlAndSchema() {
    cli.config("budget:\n  name: team\n  limit: 10000\nstore:\n  type: memory\n");
    cli.write("c.jsonl", CLAUDE_CODE);
    assertThat(summary(ingest("c.jsonl"), "tokens added")).isEqualTo("255");
    assertThat(summary(ingest("c.jsonl"), "tokens added")).isEqualTo("255"); // a new process, an empty store
    try (Stream<Path> all = Files.walk(dir)) {
      assertThat(all.filter(p -> p.getFileName().toString().equals("ingest"))).isEmpty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }

    Path state = dir.resolve("state");
    TokenBudget budget = TokenBudget.builder().name("team").limit(1).build();
    StoreConfig.Jdbc secret = new StoreConfig.Jdbc("jdbc:postgresql://db/tokens?password=one", Optional.of("tw"),
        Optional.of(new Secret("one")), Optional.empty());
    StoreConfig.Jdbc otherPassword = new StoreConfig.Jdbc("jdbc:postgresql://db/tokens?password=two",
        Optional.of("tw"), Optional.of(new Secret("two")), Optional.empty());
    StoreConfig.Jdbc otherSchema = new StoreConfig.Jdbc("jdbc:postgresql://db/tokens?password=one",
        Optional.of("tw"), Optional.of(new Secret("one")), Optional.of("tokens"));
    Path first = IngestStateLocation.of(new AppConfig("t", Optional.empty(), budget, secret, List.of(), state)).get();
    assertThat(first.getParent().getParent()).isEqualTo(state.resolve("ingest"));
    assertThat(first.getFileName().toString()).isEqualTo("team");
    assertThat(first.getParent().getFileName().toString()).matches("jdbc-[0-9a-f]{16}");
    assertThat(IngestStateLocation.of(new AppConfig("t", Optional.empty(), budget, otherPassword, List.of(), state)))
        .contains(first);
    assertThat(IngestStateLocation.of(new AppConfig("t", Optional.empty(), budget, otherSchema, List.of(), state)))
        .isNotEqualTo(Optional.of(first));
    assertThat(IngestStateLocation.pathSegment("..")).isEqualTo("%2E.");
  }

  @Test
  void jdbcStoreOnH2IngestsIncrementally() {
    cli.config("""
        budget:
          name: team
          limit: 10000
        store:
          type: jdbc
          url: jdbc:h2:file:%s
        """.formatted(dir.resolve("db/tokens").toString().replace('\\', '/')));
    cli.write("c.jsonl", CLAUDE_CODE);
    assertThat(summary(ingest("c.jsonl"), "tokens added")).isEqualTo("255");
    assertThat(ingest("c.jsonl").err()).startsWith("Ingest summary: 1 files, 0 with new lines");
    try (Stream<Path> offsets = Files.walk(dir.resolve("state/tokenwatch/ingest"))) {
      assertThat(offsets.map(p -> dir.resolve("state/tokenwatch/ingest").relativize(p).toString()))
          .anyMatch(p -> p.matches("jdbc-[0-9a-f]{16}/team/ingest-offsets.json"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theHelpFooterListsTheSameExitCodesAsExitCodes() {
    assertThat(TokenwatchCommand.class.getAnnotation(Command.class).exitCodeList()).containsExactly(ExitCodes.HELP);
  }
}
