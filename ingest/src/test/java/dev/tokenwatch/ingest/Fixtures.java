package dev.tokenwatch.ingest;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Log lines in each format, written by hand after the providers' documented shapes. */
final class Fixtures {

  static final Instant NOW = Instant.parse("2025-06-15T12:00:00Z");
  static final Clock CLOCK = () -> NOW;

  private Fixtures() {}

  static TokenTracker tracker(long limit, List<Alert> alerts) {
    return TokenTracker.builder(TokenBudget.of(limit, BudgetPeriod.MONTHLY)).store(new InMemoryUsageStore())
        .clock(CLOCK).sink(alerts::add).build();
  }

  static TokenTracker tracker() {
    return tracker(1_000_000_000L, new CopyOnWriteArrayList<>());
  }

  /** A Claude Code assistant line; {@code content} stands for the text or tool call it carries. */
  static String claudeAssistant(String msgId, String requestId, String model, long in, long out, long cacheCreate,
      long cacheRead, String timestamp, String content) {
    return "{\"parentUuid\":\"p\",\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/home/dev/project\","
        + "\"sessionId\":\"s-1\",\"version\":\"1.0.51\",\"gitBranch\":\"main\",\"type\":\"assistant\","
        + "\"message\":{\"id\":\"" + msgId + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model
        + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + content + "\"}],\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + in + ",\"cache_creation_input_tokens\":"
        + cacheCreate + ",\"cache_read_input_tokens\":" + cacheRead + ",\"output_tokens\":" + out
        + ",\"service_tier\":\"standard\"}}"
        + (requestId == null ? "" : ",\"requestId\":\"" + requestId + "\"")
        + ",\"uuid\":\"u-" + msgId + "-" + out + "\",\"timestamp\":\"" + timestamp + "\"}";
  }

  static String claudeUser(String text) {
    return "{\"parentUuid\":null,\"isSidechain\":false,\"type\":\"user\",\"message\":{\"role\":\"user\","
        + "\"content\":\"" + text + "\"},\"uuid\":\"u\",\"timestamp\":\"2025-06-14T09:00:00Z\"}";
  }

  static String claudeToolResult(String output) {
    return "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"tool_use_id\":\"toolu_1\","
        + "\"type\":\"tool_result\",\"content\":\"" + output + "\",\"is_error\":false}]},"
        + "\"toolUseResult\":{\"stdout\":\"" + output + "\",\"stderr\":\"\",\"interrupted\":false},"
        + "\"uuid\":\"u2\",\"timestamp\":\"2025-06-14T09:00:01Z\"}";
  }

  static String claudeSummary() {
    return "{\"type\":\"summary\",\"summary\":\"Refactor the parser\",\"leafUuid\":\"l-1\"}";
  }

  static String openAiChat(String id, long prompt, long completion, long cached, long created) {
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":" + created
        + ",\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"Sure.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + prompt
        + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion)
        + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached + "}},\"system_fingerprint\":\"fp_1\"}";
  }

  static String anthropicMessage(String id, long in, long out, long cacheCreate, long cacheRead) {
    return "{\"id\":\"" + id + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-3-5-haiku-20241022\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"Hello!\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":" + in + ",\"cache_creation_input_tokens\":" + cacheCreate
        + ",\"cache_read_input_tokens\":" + cacheRead + ",\"output_tokens\":" + out + "}}";
  }

  static void write(Path file, String... lines) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void append(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Tokens of every event in the tracker's ledger. */
  static long allTime(dev.tokenwatch.domain.TokenTracker tracker) {
    return tracker.query(dev.tokenwatch.domain.ledger.UsageQuery.all()).total().totalTokens();
  }
}
