package dev.tokenwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineParserTest {

  static final Instant NOW = Instant.parse("2025-06-15T12:00:00Z");

  private final LineParser auto = new LineParser(new JsonFactory(), LogFormat.AUTO);

  private LineParser.Kind parse(LineParser parser, String line) {
    byte[] bytes = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
    return parser.parse(bytes, 2, bytes.length - 4, SourceContext.of(null), NOW); // an offset slice, as the reader passes it
  }

  private TokenUsageEvent event(String line) {
    assertThat(parse(auto, line)).as(auto.reason()).isEqualTo(LineParser.Kind.EVENT);
    return auto.event();
  }

  @Test
  void openAiChatCompletionMapsCachedTokensToCacheReadSoPartsAddUpToTheTotal() {
    TokenUsageEvent e = event("""
        {"id":"chatcmpl-1","object":"chat.completion","created":1749988800,"model":"gpt-4o",\
        "choices":[{"index":0,"message":{"role":"assistant","content":"Hello"}}],\
        "usage":{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,\
        "prompt_tokens_details":{"cached_tokens":1000,"audio_tokens":0},\
        "completion_tokens_details":{"reasoning_tokens":0}}}""");
    assertThat(e).isEqualTo(new TokenUsageEvent("gpt-4o", 200, 300, 0, 1000, 1500,
        Instant.ofEpochSecond(1749988800), "chatcmpl-1"));
    assertThat(auto.chargedAtIngestTime()).isFalse();
  }

  @Test
  void openAiResponsesApiUsesInputAndOutputTokensAndCreatedAt() {
    TokenUsageEvent e = event("""
        {"id":"resp_1","object":"response","created_at":1749988800.5,"model":"gpt-4.1",\
        "output":[{"type":"message","content":[{"type":"output_text","text":"hi"}]}],\
        "usage":{"input_tokens":500,"input_tokens_details":{"cached_tokens":100},\
        "output_tokens":50,"output_tokens_details":{"reasoning_tokens":10},"total_tokens":550}}""");
    assertThat(e).isEqualTo(new TokenUsageEvent("gpt-4.1", 400, 50, 0, 100, 550,
        Instant.ofEpochSecond(1749988800, 500_000_000), "resp_1"));
  }

  @Test
  void anthropicMessageSumsAllFourPartsAndIsChargedToIngestTime() {
    TokenUsageEvent e = event("""
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",\
        "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn",\
        "usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":3000,\
        "output_tokens":40,"cache_creation":{"ephemeral_5m_input_tokens":200},"service_tier":"standard"}}""");
    assertThat(e).isEqualTo(new TokenUsageEvent("claude-sonnet-4-20250514", 10, 40, 200, 3000, 3250, NOW, "msg_01"));
    assertThat(auto.chargedAtIngestTime()).isTrue();
  }

  @Test
  void claudeCodeAssistantLineIsKeyedByMessageIdAndRequestId() {
    TokenUsageEvent e = event("""
        {"parentUuid":"p1","isSidechain":false,"userType":"external","cwd":"/home/u/p","sessionId":"s1",\
        "version":"1.0.51","type":"assistant","message":{"id":"msg_01A","type":"message","role":"assistant",\
        "model":"claude-opus-4-20250514","content":[{"type":"tool_use","id":"toolu_1","name":"Bash",\
        "input":{"command":"ls \\"x\\""}}],"stop_reason":null,"usage":{"input_tokens":4,\
        "cache_creation_input_tokens":1500,"cache_read_input_tokens":12000,"output_tokens":120,\
        "service_tier":"standard"}},"requestId":"req_011","uuid":"u1","timestamp":"2025-06-14T09:30:00.123Z"}""");
    assertThat(e).isEqualTo(new TokenUsageEvent("claude-opus-4-20250514", 4, 120, 1500, 12000, 13624,
        Instant.parse("2025-06-14T09:30:00.123Z"), "msg_01A:req_011")
        .withDimensions("/home/u/p", "s1", java.util.Map.of()));
  }

  @Test
  void claudeCodeWithoutRequestIdIsKeyedByMessageIdAlone() {
    TokenUsageEvent e = event("""
        {"type":"assistant","timestamp":"2025-06-14T09:30:00Z","message":{"id":"msg_9","model":"m",\
        "usage":{"input_tokens":1,"output_tokens":2}}}""");
    assertThat(e.requestId()).isEqualTo("msg_9");
  }

  @Test
  void tokenwatchEventJsonRoundTrips() {
    TokenUsageEvent original = new TokenUsageEvent("gpt-4o", 1, 2, 3, 4, 12, Instant.parse("2025-06-01T00:00:00Z"), "r1");
    assertThat(event(TokenUsageEventJson.toJson(original))).isEqualTo(original);
    TokenUsageEvent noId = new TokenUsageEvent("gpt-4o", 1, 2, 3, 4, 10, Instant.parse("2025-06-01T00:00:00Z"), null);
    assertThat(event(TokenUsageEventJson.toJson(noId))).isEqualTo(noId);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"content\":\"x\"}]},\"timestamp\":\"2025-06-14T09:30:00Z\"}",
      "{\"type\":\"summary\",\"summary\":\"Fixing the build\",\"leafUuid\":\"l1\"}",
      "{\"type\":\"assistant\",\"message\":{\"id\":\"m\",\"model\":\"<synthetic>\",\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}",
      "'   '",
      "{}"})
  void nonUsageLinesAreSkipped(String line) {
    assertThat(parse(auto, line)).isEqualTo(LineParser.Kind.SKIPPED);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"model\":\"m\",\"usage\":{\"input_tokens\":1,  | invalid JSON",
      "[1,2]| expected a JSON object, got an array",
      "{\"a\":1} {\"b\":2}| unexpected an object after the JSON object",
      "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\"}| usage is missing",
      "{\"id\":\"c\",\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":-5,\"completion_tokens\":1}}| usage.prompt_tokens must not be negative, got -5",
      "{\"id\":\"c\",\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":\"5\",\"completion_tokens\":1}}| usage.prompt_tokens must be a whole number, got \"5\"",
      "{\"id\":\"c\",\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}| usage.completion_tokens is missing",
      "{\"id\":\"c\",\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":5,\"total_tokens\":3}}| totalTokens must be at least the sum of the parts (10), got 3",
      "{\"id\":\"m\",\"type\":\"message\",\"model\":\"claude\",\"usage\":{\"output_tokens\":5}}| usage.input_tokens is missing",
      "{\"type\":\"assistant\",\"timestamp\":\"2025-06-14T09:30:00Z\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}| message.model is missing",
      "{\"type\":\"assistant\",\"timestamp\":\"1999-12-31T23:59:59Z\",\"message\":{\"id\":\"m\",\"model\":\"c\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}| timestamp 1999-12-31T23:59:59Z is before 2000-01-01T00:00:00Z",
      "{\"model\":\"gpt-4o\",\"totalTokens\":5,\"timestamp\":\"-999999999-01-01T00:00:00Z\"}| timestamp -999999999-01-01T00:00:00Z is before 2000-01-01T00:00:00Z",
      "{\"type\":\"assistant\",\"message\":{\"id\":\"m\",\"model\":\"c\",\"usage\":{\"input_tokens\":99999999999999999999,\"output_tokens\":1}}}| number out of range",
      "{\"model\":\"gpt-4o\",\"totalTokens\":5,\"inputTokens\":-1}| inputTokens must not be negative, got -1",
      "{\"id\":\"c\",\"model\":{\"name\":\"gpt-4o\"},\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":5}}| model must be a string, got an object",
      "{\"type\":\"assistant\",\"cwd\":[\"/w\"],\"message\":{\"id\":\"m\",\"model\":\"c\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}| cwd must be a string, got an array",
      "{\"model\":\"m\",\"totalTokens\":{},\"timestamp\":\"2025-06-14T09:30:00Z\"}| totalTokens must be a whole number, got an object",
      "{\"timestamp\":\"2025-06-14T09:30:00Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\",\"info\":{\"total_token_usage\":{\"total_tokens\":3},\"last_token_usage\":{\"input_tokens\":\"1\",\"output_tokens\":2}}}}| payload.info.last_token_usage.input_tokens must be a whole number, got \"1\""})
  void malformedLinesNameTheFieldAndValue(String line, String reason) {
    assertThat(parse(auto, line)).isEqualTo(LineParser.Kind.MALFORMED);
    assertThat(auto.reason()).contains(reason.trim());
  }

  @Test
  void unusableTimestampIsChargedToIngestTime() {
    TokenUsageEvent e = event("""
        {"type":"assistant","timestamp":"yesterday","message":{"id":"m","model":"c","usage":{"input_tokens":1,"output_tokens":1}}}""");
    assertThat(e.timestamp()).isEqualTo(NOW);
    assertThat(auto.chargedAtIngestTime()).isTrue();
  }

  @Test
  void truncatedLineIsRecognisedAsPossiblyStillBeingWritten() {
    assertThat(parse(auto, "{\"type\":\"assistant\",\"message\":{\"id\":\"m\",\"con")).isEqualTo(LineParser.Kind.MALFORMED);
    assertThat(auto.truncated()).isTrue();
    assertThat(parse(auto, "{\"type\":]")).isEqualTo(LineParser.Kind.MALFORMED);
    assertThat(auto.truncated()).isFalse();
  }

  @Test
  void explicitFormatReportsAMissingUsageWhereAutoWouldSkip() {
    LineParser openAi = new LineParser(new JsonFactory(), LogFormat.OPENAI);
    assertThat(parse(openAi, "{\"id\":\"x\",\"model\":\"gpt-4o\"}")).isEqualTo(LineParser.Kind.MALFORMED);
    assertThat(openAi.reason()).isEqualTo("usage is missing");
    assertThat(parse(auto, "{\"id\":\"x\",\"model\":\"gpt-4o\"}")).isEqualTo(LineParser.Kind.SKIPPED);
    LineParser claude = new LineParser(new JsonFactory(), LogFormat.CLAUDE_CODE);
    assertThat(parse(claude, "{\"type\":\"user\",\"message\":{\"content\":\"hi\"}}")).isEqualTo(LineParser.Kind.SKIPPED);
  }

  @Test
  void linesOfOneSessionShareOneCopyOfItsModelProjectAndSession() {
    String line = """
        {"cwd":"/home/u/p","sessionId":"s1","type":"assistant","message":{"id":"msg_%d","model":"claude-x",\
        "usage":{"input_tokens":1,"output_tokens":2}},"requestId":"req_%d","timestamp":"2025-06-14T09:30:00Z"}""";
    TokenUsageEvent first = event(line.formatted(1, 1));
    TokenUsageEvent second = event(line.formatted(2, 2));
    assertThat(second.requestId()).isEqualTo("msg_2:req_2");
    assertThat(second.model()).isSameAs(first.model());
    assertThat(second.project()).isEqualTo("/home/u/p").isSameAs(first.project());
    assertThat(second.session()).isEqualTo("s1").isSameAs(first.session());
  }
}
