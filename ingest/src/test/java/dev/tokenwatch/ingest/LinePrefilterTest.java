package dev.tokenwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prefilter against the full parse, over real-shaped lines of every format and thousands of
 * variants of them (each field at any depth removed, nulled, retyped, renamed or spelt with an
 * escape; lines cut short; lines that are no object): a line the prefilter lets go unparsed is one
 * the full parse skips too, for every format setting, or one that is not valid JSON at all.
 */
class LinePrefilterTest {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Map<String, String> CODEX_CONTEXT =
      Map.of("codexSession", CodexFormatTest.SESSION, "codexModel", "gpt-5-codex", "codexCwd", "/home/dev/app");
  private static final Path CLAUDE_FILE = Path.of("/home/dev/.claude/projects/-home-dev-app/s.jsonl");

  @TempDir Path dir;

  /** Real-shaped lines of every format, and lines of none. */
  static List<String> baseLines() {
    List<String> lines = new ArrayList<>();
    lines.add(Fixtures.claudeAssistant("msg_01", "req_01", "claude-sonnet-4-20250514", 10, 20, 300, 4000,
        "2025-06-14T09:30:00.123Z", "Hello \\\"there\\\"\\n"));
    lines.add(Fixtures.claudeAssistant("msg_02", null, "<synthetic>", 0, 0, 0, 0, "2025-06-14T09:31:00Z", "No"));
    lines.add(Fixtures.claudeUser("fix the \\\"model\\\" and its usage"));
    lines.add(Fixtures.claudeToolResult("total 8\\n-rw-r--r-- usage.txt"));
    lines.add(Fixtures.claudeSummary());
    // a sub-agent's result: usage and token counts nested in toolUseResult, not a record of its own
    lines.add("{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"tool_use_id\":\"t\",\"type\":"
        + "\"tool_result\",\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}]},\"toolUseResult\":{\"content\":"
        + "[],\"totalDurationMs\":5,\"totalTokens\":1200,\"usage\":{\"input_tokens\":3,\"output_tokens\":9}},"
        + "\"uuid\":\"u3\",\"timestamp\":\"2025-06-14T09:00:02Z\"}");
    lines.add("{\"type\":\"file-history-snapshot\",\"messageId\":\"m\",\"snapshot\":{\"trackedFileBackups\":{}}}");
    lines.add(CodexFormatTest.sessionMeta(CodexFormatTest.SESSION, "/home/dev/app"));
    lines.add(CodexFormatTest.turnContext("gpt-5-codex"));
    lines.add(CodexFormatTest.userMessage("run the tests"));
    lines.add(CodexFormatTest.rateLimitsOnly());
    lines.add(CodexFormatTest.reasoning());
    lines.add(CodexFormatTest.agentMessage());
    lines.add(CodexFormatTest.tokenCount("2025-06-14T09:00:05.500Z", CodexFormatTest.usage(100, 20, 5, 1, 105),
        CodexFormatTest.usage(100, 20, 5, 1, 105)));
    lines.add(Fixtures.openAiChat("chatcmpl-1", 1200, 300, 1000, 1749988800L));
    lines.add("{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1749988800.5,\"model\":\"gpt-4.1\","
        + "\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"hi\"}]}],"
        + "\"usage\":{\"input_tokens\":500,\"input_tokens_details\":{\"cached_tokens\":100},"
        + "\"output_tokens\":50,\"total_tokens\":550}}");
    lines.add("{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\",\"choices\":[]}");
    lines.add(Fixtures.anthropicMessage("msg_03", 10, 40, 200, 3000));
    lines.add("{\"id\":\"msg_04\",\"type\":\"message\",\"model\":\"claude-3-5-haiku-20241022\",\"content\":[]}");
    lines.add(TokenUsageEventJson.toJson(new TokenUsageEvent("gpt-4o", 5, 6, 1, 2, 14,
        Instant.parse("2025-06-14T09:00:00Z"), "r-1").withDimensions("app", "s", Map.of("team", "core"))));
    lines.add("{\"model\":\"gpt-4o\",\"inputTokens\":5}");
    lines.add("{\"event\":\"ping\",\"data\":{\"n\":1}}");
    lines.add("{}");
    return lines;
  }

  /** The base lines, each field at any depth changed in every way, cut short, and some non-objects. */
  static Set<String> variants() throws Exception {
    Set<String> all = new LinkedHashSet<>();
    for (String line : baseLines()) {
      all.add(line);
      JsonNode tree = MAPPER.readTree(line);
      for (List<Object> path : paths(tree, new ArrayList<>(), new ArrayList<>())) {
        for (JsonNode value : replacements()) {
          JsonNode copy = tree.deepCopy();
          set(copy, path, value);
          all.add(MAPPER.writeValueAsString(copy));
        }
        JsonNode removed = tree.deepCopy();
        set(removed, path, null);
        all.add(MAPPER.writeValueAsString(removed));
        if (path.get(path.size() - 1) instanceof String name && !name.isEmpty()) {
          // the same name spelt with an escape, and a near miss of it
          all.add(rename(line, name, "\\u" + String.format("%04x", (int) name.charAt(0)) + name.substring(1)));
          all.add(rename(line, name, name.toUpperCase(java.util.Locale.ROOT)));
          all.add(rename(line, name, name + "s"));
        }
      }
      for (int cut = 1; cut < line.length(); cut += Math.max(1, line.length() / 12)) {
        all.add(line.substring(0, cut));
      }
      all.add("  " + line + "\t\r");
      all.add(line + " {}");
      all.add("[" + line + "]");
    }
    all.addAll(List.of("", "   ", "42", "\"usage\"", "null", "[]", "not json", "{\"usage\":}", "{\"a\":1,}",
        "{\"message\":{\"usage\":{\"input_tokens\":1}}", "{\"type\":\"user\" \"message\":{}}", "{\"a\":\"\u0001\"}"));
    return all;
  }

  @Test
  void aLineTheFilterLetsGoIsOneTheFullParseSkipsForEveryFormat() throws Exception {
    Set<String> lines = variants();
    assertThat(lines).hasSizeGreaterThan(3_000);
    JsonFactory factory = new JsonFactory();
    for (LogFormat format : LogFormat.values()) {
      LinePrefilter filter = LinePrefilter.of(format);
      LineParser parser = new LineParser(factory, format);
      int unparsed = 0;
      for (String line : lines) {
        byte[] bytes = ("xx\n" + line + "\nyy").getBytes(StandardCharsets.UTF_8);
        int len = line.getBytes(StandardCharsets.UTF_8).length;
        if (filter.mayBeRecord(bytes, 3, len)) {
          continue;
        }
        unparsed++;
        for (Map<String, String> saved : List.of(Map.<String, String>of(), CODEX_CONTEXT)) {
          SourceContext context = SourceContext.resumed(CLAUDE_FILE, saved);
          LineParser.Kind full = parser.parse(bytes, 3, len, context, Fixtures.NOW);
          if (validJson(line)) {
            assertThat(full).as("%s, %s: %s", format, line, parser.reason()).isEqualTo(LineParser.Kind.SKIPPED);
          } else {
            // not JSON: the one case the two may differ, and then the full parse says so, never more
            assertThat(full).as("%s, %s", format, line).isIn(LineParser.Kind.SKIPPED, LineParser.Kind.MALFORMED);
            if (full == LineParser.Kind.MALFORMED) {
              assertThat(parser.reason()).as("%s, %s", format, line).containsAnyOf("invalid JSON", "after the JSON");
            }
          }
          assertThat(context.saved()).as("%s, %s", format, line).isEqualTo(saved);
        }
      }
      if (format == LogFormat.AUTO || format == LogFormat.CLAUDE_CODE || format == LogFormat.CODEX) {
        assertThat(unparsed).as("%s: lines left unparsed", format).isGreaterThan(lines.size() / 10);
      } else {
        assertThat(unparsed).as("%s parses every line", format).isZero();
      }
    }
  }

  @Test
  void userTurnsToolResultsAndSummariesAreLeftUnparsedAndRecordsAreNot() {
    LinePrefilter auto = LinePrefilter.of(LogFormat.AUTO);
    for (String line : List.of(Fixtures.claudeUser("hello"), Fixtures.claudeToolResult("ok"), Fixtures.claudeSummary(),
        "{\"type\":\"user\",\"message\":{\"content\":\"say \\\"usage\\\", \\\"model\\\" or \\\\payload\"}}")) {
      assertThat(mayBeRecord(auto, line)).as(line).isFalse();
    }
    for (String line : List.of(Fixtures.anthropicMessage("m", 1, 2, 0, 0), "{\"inputTokens\":1}",
        "{\"object\":\"chat.completion\"}", "{\"model\":\"m\",\"type\":\"message\"}", "{\"payload\":{}}",
        "{\"us\\u0061ge\":{}}", "{\"message\":{\"role\":\"user\"", "{\"a\":1} x")) {
      assertThat(mayBeRecord(auto, line)).as(line).isTrue();
    }
    assertThat(mayBeRecord(LinePrefilter.of(LogFormat.CLAUDE_CODE), CodexFormatTest.sessionMeta("s", "/"))).isFalse();
    assertThat(mayBeRecord(LinePrefilter.of(LogFormat.CODEX), CodexFormatTest.sessionMeta("s", "/"))).isTrue();
  }

  /**
   * A file of the variants that are JSON, ingested with and without the filter: the same events, and
   * the same counts of lines without usage and of malformed lines wherever the lines are JSON.
   */
  @Test
  void ingestingWithTheFilterRecordsWhatIngestingWithoutItDoes() throws Exception {
    List<String> json = new ArrayList<>();
    int i = 0;
    for (String line : variants()) {
      if (validJson(line) && i++ % 3 == 0) { // a third of them keeps the test quick
        json.add(line);
      }
    }
    Path file = dir.resolve("projects").resolve("-home-dev-app").resolve("s.jsonl");
    List<String> withCodexHeader = new ArrayList<>();
    withCodexHeader.add(CodexFormatTest.sessionMeta(CodexFormatTest.SESSION, "/home/dev/app"));
    withCodexHeader.add(CodexFormatTest.turnContext("gpt-5-codex"));
    withCodexHeader.addAll(json);
    Fixtures.write(file, withCodexHeader.toArray(String[]::new));
    for (LogFormat format : List.of(LogFormat.AUTO, LogFormat.CLAUDE_CODE, LogFormat.CODEX)) { // the filtered ones
      TokenTracker filtered = Fixtures.tracker();
      TokenTracker unfiltered = Fixtures.tracker();
      IngestSummary with = Ingestor.builder(filtered).clock(Fixtures.CLOCK).format(format).build()
          .ingest(List.of(file.toString()));
      IngestSummary without = Ingestor.builder(unfiltered).clock(Fixtures.CLOCK).format(format).prefilter(false)
          .build().ingest(List.of(file.toString()));
      assertThat(with.lines()).isEqualTo(without.lines()).isEqualTo(withCodexHeader.size());
      assertThat(with.malformedLines()).as("%s malformed", format).isEqualTo(without.malformedLines());
      assertThat(with.nonUsageLines()).as("%s without usage", format).isEqualTo(without.nonUsageLines());
      assertThat(with.eventsRecorded()).as("%s recorded", format).isEqualTo(without.eventsRecorded());
      assertThat(events(filtered)).as("%s events", format).isEqualTo(events(unfiltered));
    }
  }

  private static List<TokenUsageEvent> events(TokenTracker tracker) {
    return tracker.getHistory();
  }

  private static boolean mayBeRecord(LinePrefilter filter, String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return filter.mayBeRecord(bytes, 0, bytes.length);
  }

  private static boolean validJson(String line) {
    try {
      return MAPPER.readTree(line) instanceof ObjectNode;
    } catch (Exception e) {
      return false;
    }
  }

  private static String rename(String line, String name, String spelt) {
    return line.replace("\"" + name + "\"", "\"" + spelt + "\"");
  }

  private static List<JsonNode> replacements() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return List.of(f.nullNode(), f.textNode("x"), f.numberNode(12), f.numberNode(-3), f.numberNode(1.5),
        f.booleanNode(true), f.arrayNode(), f.objectNode(), f.objectNode().put("input_tokens", 1).put("output_tokens", 2));
  }

  /** Every path to a value: field names and array indexes from the root. */
  private static List<List<Object>> paths(JsonNode node, List<Object> at, List<List<Object>> out) {
    if (node instanceof ObjectNode object) {
      for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        List<Object> next = new ArrayList<>(at);
        next.add(name);
        out.add(next);
        paths(object.get(name), next, out);
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        List<Object> next = new ArrayList<>(at);
        next.add(i);
        out.add(next);
        paths(array.get(i), next, out);
      }
    }
    return out;
  }

  /** Sets the value at {@code path}; null removes it. */
  private static void set(JsonNode root, List<Object> path, JsonNode value) {
    JsonNode parent = root;
    for (Object step : path.subList(0, path.size() - 1)) {
      parent = step instanceof String name ? parent.get(name) : parent.get((Integer) step);
    }
    Object last = path.get(path.size() - 1);
    ContainerNode<?> container = (ContainerNode<?>) parent;
    if (container instanceof ObjectNode object) {
      if (value == null) {
        object.remove((String) last);
      } else {
        object.set((String) last, value);
      }
    } else if (container instanceof ArrayNode array) {
      if (value == null) {
        array.remove((Integer) last);
      } else {
        array.set((Integer) last, value);
      }
    }
  }
}
