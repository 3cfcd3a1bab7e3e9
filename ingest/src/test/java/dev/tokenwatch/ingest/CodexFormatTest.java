package dev.tokenwatch.ingest;

import static dev.tokenwatch.ingest.Fixtures.append;
import static dev.tokenwatch.ingest.Fixtures.claudeAssistant;
import static dev.tokenwatch.ingest.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Codex CLI session logs, with lines written after the rollout format of openai/codex
 * ({@code RolloutLine}: timestamp, type, payload; {@code TokenCountEvent} with {@code
 * TokenUsageInfo}).
 */
class CodexFormatTest {

  static final String SESSION = "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

  @TempDir Path dir;

  static String sessionMeta(String id, String cwd) {
    return "{\"timestamp\":\"2025-06-14T09:00:00.000Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"" + id
        + "\",\"timestamp\":\"2025-06-14T09:00:00.000Z\",\"cwd\":\"" + cwd + "\",\"originator\":\"codex_cli_rs\","
        + "\"cli_version\":\"0.39.0\",\"instructions\":null,\"git\":{\"commit_hash\":\"4f1c2d\",\"branch\":\"main\","
        + "\"repository_url\":\"git@github.com:dev/app.git\"}}}";
  }

  static String turnContext(String model) {
    return "{\"timestamp\":\"2025-06-14T09:00:01.100Z\",\"type\":\"turn_context\",\"payload\":{\"cwd\":\"/home/dev/app\","
        + "\"approval_policy\":\"on-request\",\"sandbox_policy\":{\"mode\":\"workspace-write\",\"network_access\":false,"
        + "\"exclude_tmpdir_env_var\":false,\"exclude_slash_tmp\":false},\"model\":\"" + model
        + "\",\"effort\":\"medium\",\"summary\":\"auto\"}}";
  }

  static String userMessage(String text) {
    return "{\"timestamp\":\"2025-06-14T09:00:01.000Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"message\","
        + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"" + text + "\"}]}}";
  }

  static String rateLimitsOnly() {
    return "{\"timestamp\":\"2025-06-14T09:00:02.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\","
        + "\"info\":null,\"rate_limits\":{\"primary\":{\"used_percent\":7.0,\"window_minutes\":300,"
        + "\"resets_in_seconds\":1200},\"secondary\":null}}}";
  }

  static String reasoning() {
    return "{\"timestamp\":\"2025-06-14T09:00:04.000Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"reasoning\","
        + "\"summary\":[{\"type\":\"summary_text\",\"text\":\"**Inspecting the build**\"}],\"content\":null,"
        + "\"encrypted_content\":\"gAAAAABo\"}}";
  }

  static String agentMessage() {
    return "{\"timestamp\":\"2025-06-14T09:00:09.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"agent_message\","
        + "\"message\":\"The build passes now.\"}}";
  }

  static String usage(long in, long cached, long out, long reasoning, long total) {
    return "{\"input_tokens\":" + in + ",\"cached_input_tokens\":" + cached + ",\"output_tokens\":" + out
        + ",\"reasoning_output_tokens\":" + reasoning + ",\"total_tokens\":" + total + "}";
  }

  static String tokenCount(String time, String totalUsage, String lastUsage) {
    return "{\"timestamp\":\"" + time + "\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\",\"info\":"
        + "{\"total_token_usage\":" + totalUsage + ",\"last_token_usage\":" + lastUsage
        + ",\"model_context_window\":272000},\"rate_limits\":{\"primary\":{\"used_percent\":8.0,"
        + "\"window_minutes\":300,\"resets_in_seconds\":1100},\"secondary\":null}}}";
  }

  /** Two responses; the first token count is written twice, as Codex does. */
  static List<String> session() {
    String first = usage(12_000, 3_000, 500, 200, 12_500);
    String second = usage(13_000, 11_000, 300, 50, 13_300);
    String running = usage(25_000, 14_000, 800, 250, 25_800);
    return List.of(sessionMeta(SESSION, "/home/dev/app"), userMessage("fix the build"), turnContext("gpt-5-codex"),
        rateLimitsOnly(), reasoning(), tokenCount("2025-06-14T09:00:05.500Z", first, first),
        tokenCount("2025-06-14T09:00:05.600Z", first, first), agentMessage(),
        tokenCount("2025-06-14T09:00:08.000Z", running, second));
  }


  private Ingestor.Builder ingestor(TokenTracker tracker) {
    return Ingestor.builder(tracker).clock(Fixtures.CLOCK).stateDirectory(dir.resolve("state"));
  }

  @Test
  void eachResponseCountsOnceWithCachedInputAsCacheReadAndTheSessionsModelAndDirectory() {
    TokenTracker tracker = Fixtures.tracker();
    Path file = dir.resolve(".codex/sessions/2025/06/14/rollout-2025-06-14T09-00-00-" + SESSION + ".jsonl");
    write(file, session().toArray(String[]::new));

    IngestSummary s = ingestor(tracker).build().ingest(List.of(dir.resolve(".codex").toString()));

    assertThat(s.malformedLines()).as("%s", s.firstMalformed()).isZero();
    assertThat(s.eventsRecorded()).isEqualTo(2);
    assertThat(s.duplicates()).isEqualTo(1);
    assertThat(s.nonUsageLines()).isEqualTo(6);
    // what was counted adds up to the session's own running total, nothing twice
    assertThat(Fixtures.allTime(tracker)).isEqualTo(25_800);
    // priced when recorded: gpt-5-codex is an alias of gpt-5 (1.25 input, 10 output, 0.125 cache read USD
    // per M): 9,000 x 1.25 + 3,000 x 0.125 + 500 x 10 = 16,625 and 2,000 x 1.25 + 11,000 x 0.125 + 300 x 10
    // = 6,875 micro-dollars
    assertThat(tracker.getHistory()).containsExactly(
        TokenUsageEvent.builder("gpt-5-codex").inputTokens(9_000).cacheReadTokens(3_000).outputTokens(500)
            .totalTokens(12_500).timestamp(Instant.parse("2025-06-14T09:00:05.500Z")).requestId(SESSION + ":12500")
            .project("/home/dev/app").session(SESSION).costNanoUsd(16_625_000).build(),
        TokenUsageEvent.builder("gpt-5-codex").inputTokens(2_000).cacheReadTokens(11_000).outputTokens(300)
            .totalTokens(13_300).timestamp(Instant.parse("2025-06-14T09:00:08.000Z")).requestId(SESSION + ":25800")
            .project("/home/dev/app").session(SESSION).costNanoUsd(6_875_000).build());
  }

  @Test
  void aRunResumingInTheMiddleOfTheFileStillKnowsTheSessionAndModel() {
    TokenTracker tracker = Fixtures.tracker();
    Path file = dir.resolve("rollout.jsonl");
    List<String> lines = session();
    write(file, lines.subList(0, 6).toArray(String[]::new));
    assertThat(ingestor(tracker).build().ingest(List.of(file.toString())).eventsRecorded()).isEqualTo(1);

    append(file, String.join("\n", lines.subList(6, lines.size())) + "\n");
    IngestSummary rest = ingestor(tracker).build().ingest(List.of(file.toString()));

    assertThat(rest.lines()).isEqualTo(3);
    assertThat(rest.malformedLines()).as("%s", rest.firstMalformed()).isZero();
    assertThat(rest.eventsRecorded()).isEqualTo(1);
    assertThat(rest.duplicates()).isEqualTo(1);
    assertThat(Fixtures.allTime(tracker)).isEqualTo(25_800);
    assertThat(tracker.getHistory().get(1).session()).isEqualTo(SESSION);
    assertThat(tracker.getHistory().get(1).model()).isEqualTo("gpt-5-codex");
  }

  @Test
  void aTokenCountWithoutSessionOrModelIsMalformedNamingWhatIsMissing() {
    String count = tokenCount("2025-06-14T09:00:05.500Z", usage(10, 0, 5, 0, 15), usage(10, 0, 5, 0, 15));
    Path noModel = dir.resolve("a/no-model.jsonl");
    write(noModel, sessionMeta(SESSION, "/w"), count);
    Path noSession = dir.resolve("a/no-session.jsonl");
    write(noSession, turnContext("gpt-5"), count);
    Path cachedTooLarge = dir.resolve("a/cached.jsonl");
    write(cachedTooLarge, sessionMeta(SESSION, "/w"), turnContext("gpt-5"),
        tokenCount("2025-06-14T09:00:05.500Z", usage(10, 20, 5, 0, 15), usage(10, 20, 5, 0, 15)));

    IngestSummary s = ingestor(Fixtures.tracker()).build().ingest(List.of(dir.resolve("a").toString()));

    assertThat(s.firstMalformed()).extracting(MalformedLine::reason).containsExactlyInAnyOrder(
        "payload.info.last_token_usage.cached_input_tokens (20) exceed input_tokens (10)",
        "token_count before any turn_context line: the model is unknown",
        "token_count before the session_meta line: the session is unknown");
  }

  @Test
  void autoTellsCodexLinesFromClaudeCodeLinesAndANamedFormatReadsOnlyItsOwn() {
    Path file = dir.resolve("mixed.jsonl");
    List<String> lines = new java.util.ArrayList<>(session());
    lines.add(claudeAssistant("msg_1", "req_1", "claude-opus-4", 4, 10, 0, 0, "2025-06-14T09:30:00Z", "hi"));
    write(file, lines.toArray(String[]::new));

    TokenTracker auto = Fixtures.tracker();
    assertThat(Ingestor.builder(auto).clock(Fixtures.CLOCK).build().ingest(List.of(file.toString()))
        .eventsRecorded()).isEqualTo(3);
    assertThat(Fixtures.allTime(auto)).isEqualTo(25_800 + 14);

    TokenTracker codex = Fixtures.tracker();
    IngestSummary onlyCodex = Ingestor.builder(codex).clock(Fixtures.CLOCK).format(LogFormat.CODEX).build()
        .ingest(List.of(file.toString()));
    assertThat(onlyCodex.eventsRecorded()).isEqualTo(2);
    assertThat(onlyCodex.nonUsageLines()).isEqualTo(7);
    assertThat(Fixtures.allTime(codex)).isEqualTo(25_800);
    assertThat(LogFormat.parse("codex")).isEqualTo(LogFormat.CODEX);
  }
}
