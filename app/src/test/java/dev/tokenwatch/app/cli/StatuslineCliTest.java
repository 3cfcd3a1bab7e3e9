package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokenwatch statusline} on a store with known events (the harness's now is 2026-11-16 12:00
 * UTC): exact figures with Claude Code's JSON on stdin, and the line without a session when stdin is
 * empty, garbage, a terminal, or left open by its writer.
 */
class StatuslineCliTest {

  /** Claude Code's status-line input, as documented, with fields the command skips. */
  private static final String CLAUDE_CODE_INPUT = """
      {"hook_event_name":"Status","session_id":"s-1","transcript_path":"/home/ann/.claude/projects/x/s-1.jsonl",
       "cwd":"/home/ann/alpha","model":{"id":"claude-opus-4-1","display_name":"Opus 4.1"},
       "workspace":{"current_dir":"/home/ann/alpha","project_dir":"/home/ann/alpha"},"version":"1.0.80",
       "output_style":{"name":"default"},"cost":{"total_cost_usd":0.42,"total_duration_ms":180000,
       "total_lines_added":156,"total_lines_removed":23},"context_window":{"current_usage":{"input_tokens":8500}}}
      """;

  /** Without a session: today, the budget, the last hour. */
  private static final String WITHOUT_SESSION = "$3.75 today · 16.0% of monthly budget · $1.75/h\n";

  @TempDir
  Path dir;

  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
    cli.config("""
        budget: {name: team, limit: 100 USD, period: monthly}
        store: {type: file, path: usage}
        notifiers: []
        """);
    // session s-1: 1.25 + 2.00 + 3.00; today: 1.25 + 2.00 + 0.50; the last hour: 1.25 + 0.50;
    // November: 16.00 of the 100 USD
    cli.write("export.jsonl", event("a", "2026-11-16T11:30:00Z", "1.25", "s-1")
        + event("b", "2026-11-16T09:00:00Z", "2", "s-1")
        + event("c", "2026-11-16T11:45:00Z", "0.5", "s-2")
        + event("d", "2026-11-15T20:00:00Z", "3", "s-1")
        + event("e", "2026-11-02T08:00:00Z", "9.25", null));
    CliHarness.Result ingest = cli.run("ingest", "--format", "tokenwatch", "export.jsonl");
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
  }

  private static String event(String id, String at, String costUsd, String session) {
    return "{\"model\":\"claude-opus-4-1\",\"inputTokens\":1000,\"outputTokens\":100,\"timestamp\":\"" + at
        + "\",\"requestId\":\"" + id + "\",\"costUsd\":" + costUsd
        + (session == null ? "" : ",\"session\":\"" + session + "\"") + "}\n";
  }

  private CliHarness.Result statusline(String stdin) {
    cli.stdin = stdin;
    CliHarness.Result result = cli.run("statusline");
    assertThat(result.exitCode()).as(result.err()).isZero();
    return result;
  }

  @Test
  void claudeCodesInputGivesTheSessionAndModel() {
    CliHarness.Result result = statusline(CLAUDE_CODE_INPUT);
    assertThat(result.out()).isEqualTo("Opus 4.1 · $6.25 session · " + WITHOUT_SESSION);
    assertThat(result.err()).isEmpty();
  }

  @Test
  void aSessionWithoutEventsCostsNothingAndAModelIdStandsInForItsName() {
    CliHarness.Result result = statusline("{\"session_id\":\"new\",\"model\":{\"id\":\"claude-sonnet-4-5\"}}");
    assertThat(result.out()).isEqualTo("claude-sonnet-4-5 · $0.00 session · " + WITHOUT_SESSION);
  }

  @Test
  void emptyStdinGivesTheLineWithoutASession() {
    CliHarness.Result result = statusline("");
    assertThat(result.out()).isEqualTo(WITHOUT_SESSION);
    assertThat(result.err()).isEmpty();
  }

  @Test
  void garbageOnStdinIsNamedOnStderrAndTheLineStillPrinted() {
    for (String garbage : new String[] {"not json at all", "[1,2,3]", "{\"session_id\":", "\u0000\u00ff\u0001"}) {
      CliHarness.Result result = statusline(garbage);
      assertThat(result.out()).as(garbage).isEqualTo(WITHOUT_SESSION);
      assertThat(result.err()).as(garbage).startsWith("tokenwatch: stdin is not Claude Code's status-line JSON (it is ")
          .endsWith("): the line shows no session\n");
    }
    assertThat(statusline("{\"session_id\":42,\"model\":\"Opus\"}").out()).as("fields of other types are absent")
        .isEqualTo(WITHOUT_SESSION);
  }

  @Test
  void escapeSequencesInTheModelsNameDoNotReachTheTerminal() {
    CliHarness.Result result = statusline("{\"model\":{\"display_name\":\"\\u001b[31mOpus\\u0007 4.1\"}}");
    assertThat(result.out()).isEqualTo("[31mOpus 4.1 · " + WITHOUT_SESSION);
  }

  @Test
  void aTerminalIsNotRead() {
    cli.terminal = true;
    assertThat(statusline(CLAUDE_CODE_INPUT).out()).isEqualTo(WITHOUT_SESSION);
  }

  @Test
  void severalBudgetsNameTheFirstOrTheChosenOne() {
    cli.config("""
        budgets:
          - {name: team, limit: 100 USD, period: monthly}
          - {name: daily-tokens, limit: 10000, period: daily}
        store: {type: file, path: usage}
        notifiers: []
        """);
    assertThat(statusline("").out()).isEqualTo("$3.75 today · 16.0% of monthly budget team · $1.75/h\n");
    cli.stdin = "";
    CliHarness.Result chosen = cli.run("statusline", "--budget", "daily-tokens");
    assertThat(chosen.out()).as("today's 3 events of 1,100 tokens").isEqualTo(
        "$3.75 today · 33.0% of daily budget · $1.75/h\n");
  }

  /** The real process: Claude Code writes its object and may leave stdin open; the line comes anyway. */
  @Test
  void aChildProcessReadsStdinLeftOpenByItsWriter() throws Exception {
    CliProcess process = CliProcess.start(dir, dir.resolve("tokenwatch.yaml"), "statusline");
    OutputStream stdin = process.process().getOutputStream();
    stdin.write(CLAUDE_CODE_INPUT.getBytes(StandardCharsets.UTF_8));
    stdin.flush(); // not closed: the command must not wait for the end of input
    try {
      CliProcess.Result result = process.await(60);
      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(result.out()).as("the figures of the ledger up to the real now")
          .startsWith("Opus 4.1 · $6.25 session · ").endsWith("/h\n");
    } finally {
      stdin.close();
    }
  }
}
