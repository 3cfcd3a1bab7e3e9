package dev.tokenwatch.ingest;

import static dev.tokenwatch.ingest.Fixtures.anthropicMessage;
import static dev.tokenwatch.ingest.Fixtures.claudeAssistant;
import static dev.tokenwatch.ingest.Fixtures.openAiChat;
import static dev.tokenwatch.ingest.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: project, session and tags at ingest. */
class DimensionsTest {

  static final String TS = "2025-06-14T09:30:00Z";

  @TempDir Path dir;

  @Test
  void claudeCodeLinesGiveTheirCwdAndSessionAndWithoutCwdTheProjectDirectory() {
    TokenTracker tracker = Fixtures.tracker();
    Path file = dir.resolve(".claude/projects/-home-dev-my-app/9d6a3f7e.jsonl");
    String withCwd = claudeAssistant("msg_1", "req_1", "claude-opus-4", 1, 2, 0, 0, TS, "a");
    String withoutCwd = claudeAssistant("msg_2", "req_2", "claude-opus-4", 1, 2, 0, 0, TS, "b")
        .replace("\"cwd\":\"/home/dev/project\",", "").replace("\"sessionId\":\"s-1\",", "");
    write(file, withCwd, withoutCwd);

    Ingestor.builder(tracker).clock(Fixtures.CLOCK).project("ignored: lines name their own").build()
        .ingest(List.of(dir.resolve(".claude/projects").toString()));

    assertThat(tracker.getHistory()).extracting(TokenUsageEvent::project, TokenUsageEvent::session)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/home/dev/project", "s-1"),
            org.assertj.core.groups.Tuple.tuple("-home-dev-my-app", null));
  }

  @Test
  void apiResponsesTakeTheRunsProjectSessionAndTags() {
    TokenTracker tracker = Fixtures.tracker();
    Path file = dir.resolve("api.jsonl");
    write(file, openAiChat("chatcmpl-1", 10, 5, 0, 1749902400), anthropicMessage("msg_a", 1, 2, 3, 4));

    Ingestor.builder(tracker).clock(Fixtures.CLOCK).project("search").session("nightly-42").tag("team", "core")
        .tag("env", "ci").build().ingest(List.of(file.toString()));

    assertThat(tracker.getHistory()).hasSize(2).allSatisfy(e -> {
      assertThat(e.project()).isEqualTo("search");
      assertThat(e.session()).isEqualTo("nightly-42");
      assertThat(e.tags()).containsExactly(Map.entry("env", "ci"), Map.entry("team", "core"));
    });
  }

  @Test
  void badDimensionsOfTheRunAreRefusedNamingTheValue() {
    Ingestor.Builder builder = Ingestor.builder(Fixtures.tracker());
    assertThatThrownBy(() -> builder.tag("Team", "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"Team\"");
    assertThatThrownBy(() -> builder.project(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("project must not be blank");
    for (int i = 0; i < 8; i++) {
      builder.tag("k" + i, "v");
    }
    assertThatThrownBy(() -> builder.tag("k8", "v")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 8");
  }

  @Test
  void tokenwatchJsonCarriesTheDimensionsBothWays() {
    TokenUsageEvent event = TokenUsageEvent.builder("gpt-4o").inputTokens(1).outputTokens(2).cacheReadTokens(3)
        .timestamp(Instant.parse("2025-06-01T00:00:00Z")).requestId("r1").project("/home/dev/app").session("s-1")
        .tag("team", "search").tag("env", "prod").build();
    String json = TokenUsageEventJson.toJson(event);
    assertThat(json).endsWith(
        "\"requestId\":\"r1\",\"project\":\"/home/dev/app\",\"session\":\"s-1\",\"tags\":{\"env\":\"prod\",\"team\":\"search\"}}");
    assertThat(TokenUsageEventJson.fromJson(json)).isEqualTo(event);

    TokenTracker tracker = Fixtures.tracker();
    Path file = dir.resolve("export.jsonl");
    StringWriter lines = new StringWriter();
    TokenUsageEventJson.writeLines(List.of(event), lines);
    write(file, lines.toString().strip());
    Ingestor.builder(tracker).clock(Fixtures.CLOCK).format(LogFormat.TOKENWATCH).build().ingest(List.of(file.toString()));
    // no costUsd in the line: the tracker prices it (gpt-4o: 2.5 input, 10 output, 1.25 cache read USD per M)
    assertThat(tracker.getHistory()).containsExactly(event.withCost(1 * 2500 + 2 * 10_000 + 3 * 1250));
  }

  @Test
  void badDimensionsInALineAreMalformedNamingTheField() {
    Path file = dir.resolve("bad.jsonl");
    write(file, "{\"model\":\"m\",\"totalTokens\":3,\"timestamp\":\"" + TS + "\",\"tags\":{\"Bad Key\":\"x\"}}",
        "{\"model\":\"m\",\"totalTokens\":3,\"timestamp\":\"" + TS + "\",\"tags\":{\"team\":7}}",
        "{\"model\":\"m\",\"totalTokens\":3,\"timestamp\":\"" + TS + "\",\"session\":\" \"}");
    IngestSummary s = Ingestor.builder(Fixtures.tracker()).clock(Fixtures.CLOCK).build().ingest(List.of(file.toString()));
    assertThat(s.firstMalformed()).extracting(MalformedLine::reason).containsExactly(
        "tags: tag key must match [a-z][a-z0-9_.-]{0,31}, got \"Bad Key\"",
        "tags.team must be a string, got 7",
        "session: session must not be blank when given, got \" \"");
    assertThatThrownBy(() -> TokenUsageEventJson.fromJson(
        "{\"model\":\"m\",\"timestamp\":\"" + TS + "\",\"tags\":[\"a\"]}"))
        .hasMessage("tags must be an object of strings, got [\"a\"]");
  }
}
