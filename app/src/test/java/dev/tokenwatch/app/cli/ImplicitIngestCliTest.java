package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.app.view.Format;
import dev.tokenwatch.app.view.ReportText;
import dev.tokenwatch.ingest.CostUsd;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One command on a fresh machine: with Claude Code's logs at {@code $CLAUDE_CONFIG_DIR} and no
 * configuration, {@code report}, {@code status} and {@code check} read what was appended since the
 * last run first (stderr only), {@code --no-ingest} skips it, {@code ingest} without a path reads the
 * sources, and plain {@code tokenwatch} is this month's daily report.
 */
class ImplicitIngestCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  CliHarness cli;
  ClaudeCodeTree tree;

  @BeforeEach
  void setUp() throws IOException {
    cli = new CliHarness(dir); // no tokenwatch.yaml, nothing under XDG_CONFIG_HOME: the built-in defaults
    cli.variables.put("CLAUDE_CONFIG_DIR", dir.resolve("claude").toString());
    tree = ClaudeCodeTree.write(dir.resolve("claude/projects"), 7);
  }

  /** Stderr without the alerts the default 1,000,000-token budget raises on the way (console notifier). */
  private static String said(CliHarness.Result result) {
    return result.err().lines().filter(l -> l.startsWith("tokenwatch: ")).map(l -> l + "\n")
        .collect(java.util.stream.Collectors.joining());
  }

  private JsonNode json(CliHarness.Result result) throws IOException {
    assertThat(result.exitCode()).as(result.err()).isZero();
    return JSON.readTree(result.out()); // stdout is the JSON document alone
  }

  @Test
  void reportDailyGivesExactTokensAndCostPerDayAndModelInOneCommand() throws IOException {
    CliHarness.Result first = cli.run("report", "daily", "--json");
    assertThat(first.err()).contains("CRITICAL token budget 'default'"); // alerts as for ingest
    assertThat(said(first)).isEqualTo("tokenwatch: ingested 360 new events ("
        + Format.tokens(tree.perDay().values().stream().mapToLong(Long::longValue).sum()) + " tokens, "
        + ReportText.cost(new dev.tokenwatch.domain.ledger.Counts(0, 0, 0, 0, 0, 1,
            tree.costPerDay().values().stream().mapToLong(Long::longValue).sum(), 0, 0))
        + ") from " + dir.resolve("claude/projects") + "\n");
    JsonNode days = json(first);
    Map<String, Long> tokens = new TreeMap<>();
    Map<String, Map<String, Long>> perModel = new TreeMap<>();
    days.get("periods").forEach(p -> {
      String day = p.get("start").asText();
      tokens.put(day, p.get("total").get("totalTokens").asLong());
      assertThat(new BigDecimal(p.get("total").get("costUsd").asText())).as(day)
          .isEqualByComparingTo(CostUsd.of(tree.costPerDay().get(day)));
      p.get("models").forEach(m -> perModel.computeIfAbsent(day, d -> new TreeMap<>())
          .put(m.get("model").asText(), m.get("totalTokens").asLong()));
    });
    assertThat(tokens).isEqualTo(tree.perDay());
    assertThat(perModel).isEqualTo(tree.perDayAndModel());

    // nothing appended: nothing said, the same answer
    CliHarness.Result again = cli.run("report", "daily", "--json");
    assertThat(again.err()).isEmpty();
    assertThat(again.out()).isEqualTo(first.out());
    CliHarness.Result text = cli.run("report", "daily");
    assertThat(text.out()).contains("2026-11-01").contains("claude-opus-4-1-20250805").contains("All periods");
  }

  @Test
  void statusAndCheckReadWhatWasAppendedAndNoIngestSkipsIt() throws IOException {
    long all = tree.perDay().values().stream().mapToLong(Long::longValue).sum();
    assertThat(json(cli.run("status", "--no-ingest", "--json")).get("budgets").get(0).get("used").asLong()).isZero();
    assertThat(cli.run("check", "--no-ingest").out()).startsWith("ok: 0.0% of budget 'default'");

    JsonNode status = json(cli.run("status", "--json"));
    assertThat(status.get("budgets").get(0).get("used").asLong()).isEqualTo(all);

    Path session = dir.resolve("claude/projects/-home-ann-alpha/-home-ann-alpha-s0.jsonl");
    Files.writeString(session, assistantLine("msg_new", 2_000_000), StandardOpenOption.APPEND);
    CliHarness.Result skipped = cli.run("status", "--json", "--no-ingest");
    assertThat(skipped.err()).isEmpty();
    assertThat(json(skipped).get("budgets").get(0).get("used").asLong()).isEqualTo(all);

    CliHarness.Result check = cli.run("check");
    assertThat(check.exitCode()).as(check.err()).isEqualTo(1); // 2,000,000 more tokens: over the 1,000,000 default
    assertThat(said(check)).startsWith("tokenwatch: ingested 1 new events (2,000,000 tokens, ")
        .contains("from " + dir.resolve("claude/projects"));
    assertThat(check.out()).startsWith("over: ");
  }

  @Test
  void ingestWithoutAPathReadsTheSources() {
    CliHarness.Result ingest = cli.run("ingest");
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    assertThat(ingest.err()).contains("Ingest summary: 9 files, 9 with new lines").contains("events ingested  714 (354 replacing");
    assertThat(cli.run("ingest").err()).contains("Ingest summary: 9 files, 0 with new lines");
    assertThat(cli.run("report", "monthly").err()).isEmpty(); // the same offsets: nothing new

    CliHarness.Result format = cli.run("ingest", "--format", "openai");
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.err()).contains("--format applies to PATHs");
  }

  @Test
  void aMissingConfiguredSourceIsAWarningForReportsAndAnErrorForIngest() throws IOException {
    cli.config("""
        sources:
          - {type: claude-code, path: claude/projects}
          - {type: openai, path: api-logs}
        notifiers: []
        """);
    CliHarness.Result report = cli.run("report", "monthly", "--json");
    assertThat(said(report)).contains("tokenwatch: ingested 360 new events")
        .contains("tokenwatch: warning: usage source openai " + dir.resolve("api-logs")
            + " (tokenwatch.yaml line 3) does not exist; not read\n");
    assertThat(json(report).get("total").get("calls").asLong()).isEqualTo(360);

    CliHarness.Result ingest = cli.run("ingest");
    assertThat(ingest.exitCode()).isEqualTo(2);
    assertThat(ingest.err()).isEqualTo("tokenwatch: no such file or directory: usage source openai "
        + dir.resolve("api-logs") + " (tokenwatch.yaml line 3)\n");

    assertThat(cli.run("config").out()).contains("sources:\n  - {type: claude-code, path: \"" + dir.resolve("claude/projects")
        + "\"}  # tokenwatch.yaml line 2\n  - {type: openai, path: \"" + dir.resolve("api-logs")
        + "\"}  # tokenwatch.yaml line 3; does not exist\n");

    cli.config("sources: []\nnotifiers: []\n");
    CliHarness.Result none = cli.run("ingest");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).startsWith("tokenwatch: ingest needs a PATH, or usage sources under sources: in the "
        + "configuration (" + dir.resolve("tokenwatch.yaml") + " lists none)");
  }

  @Test
  void anUnreadableSourceIsAWarningAndTheAnswerStillComes() throws IOException {
    // a file every read of which fails, even for root: Linux's memory of the reading process at address 0
    Path unreadable = Path.of("/proc/self/mem");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(unreadable), "Linux /proc");
    cli.config("""
        sources:
          - {type: openai, path: /proc/self/mem}
          - {type: claude-code, path: claude/projects}
        notifiers: []
        """);
    CliHarness.Result report = cli.run("report", "monthly", "--json");
    assertThat(report.err()).isEqualTo("tokenwatch: warning: cannot read usage source /proc/self/mem: cannot read "
        + "/proc/self/mem: Input/output error; the answer leaves out what it appended since the last run\n"
        + "tokenwatch: ingested 360 new events (" + Format.tokens(tree.perDay().values().stream()
            .mapToLong(Long::longValue).sum()) + " tokens, " + dev.tokenwatch.domain.BudgetUnit.formatUsd(
            tree.costPerDay().values().stream().mapToLong(Long::longValue).sum()) + ") from " + dir.resolve("claude/projects") + "\n");
    assertThat(json(report).get("total").get("calls").asLong()).isEqualTo(360);
    CliHarness.Result ingest = cli.run("ingest");
    assertThat(ingest.exitCode()).isEqualTo(2);
    assertThat(ingest.err()).startsWith("tokenwatch: cannot read /proc/self/mem: Input/output error\n");
  }

  @Test
  void malformedLinesOfASourceAreAWarningOnStderr() throws IOException {
    Path session = dir.resolve("claude/projects/-home-ann-beta/-home-ann-beta-s1.jsonl");
    Files.writeString(session, "{\"type\":\"assistant\",\"message\":{\"id\":\"m\",\"usage\":{\"output_tokens\":-3}}}\n",
        StandardOpenOption.APPEND);
    CliHarness.Result status = cli.run("status", "--json");
    assertThat(status.exitCode()).isZero();
    assertThat(status.err()).contains("tokenwatch: warning: 1 malformed lines skipped, the first " + session + ":");
    JSON.readTree(status.out());
  }

  @Test
  void plainTokenwatchIsThisMonthsDailyReport() throws IOException {
    CliHarness.Result plain = cli.run();
    assertThat(plain.exitCode()).as(plain.err()).isZero();
    assertThat(said(plain)).startsWith("tokenwatch: ingested 360 new events");
    assertThat(plain.out()).isEqualTo(cli.run("report", "daily", "--since", "this-month").out())
        .contains("daily report by model, 2026-11-01 to now (UTC)");
    assertThat(json(cli.run("--json")).get("since").asText()).isEqualTo("2026-11-01");
    assertThat(json(cli.run("--since", "7d", "--json")).get("since").asText()).isEqualTo("2026-11-10");
    assertThat(cli.run("--help").out()).contains("Without a command: report daily --since this-month");
    assertThat(cli.run("config").out()).contains("sources:\n  - {type: claude-code, path: \"" + dir.resolve("claude/projects")
        + "\"}  # default: $CLAUDE_CONFIG_DIR\n");
  }

  @Test
  void aRealProcessFindsClaudeCodesLogsUnderHome() throws Exception {
    // a child JVM as a user runs it: HOME is this directory (CliProcess), no CLAUDE_CONFIG_DIR
    Path home = Files.createDirectories(dir.resolve("process"));
    ClaudeCodeTree underHome = ClaudeCodeTree.write(home.resolve(".claude/projects"), 3);
    Path config = home.resolve("tokenwatch.yaml");
    Files.writeString(config, "store: {type: file, path: usage}\nnotifiers: []\n");
    CliProcess.Result result = CliProcess.run(home, config, "report", "daily", "--json");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).startsWith("tokenwatch: ingested 360 new events").contains(home + "/.claude/projects");
    Map<String, Long> tokens = new TreeMap<>();
    JSON.readTree(result.out()).get("periods").forEach(p -> tokens.put(p.get("start").asText(),
        p.get("total").get("totalTokens").asLong()));
    assertThat(tokens).isEqualTo(underHome.perDay());
  }

  private static String assistantLine(String id, long outputTokens) {
    return "{\"type\":\"assistant\",\"timestamp\":\"2026-11-16T11:00:00Z\",\"sessionId\":\"-home-ann-alpha-s0\","
        + "\"cwd\":\"/home/ann/alpha\",\"requestId\":\"r-" + id + "\",\"message\":{\"id\":\"" + id
        + "\",\"model\":\"claude-opus-4-1-20250805\",\"usage\":{\"input_tokens\":0,\"output_tokens\":" + outputTokens
        + "}}}\n";
  }
}
