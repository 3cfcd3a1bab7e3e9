package dev.tokenwatch.ingest;

import static dev.tokenwatch.ingest.JsonValues.ABSENT;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * A Claude Code session log line ({@code ~/.claude/projects/<project>/<session>.jsonl}): {@code
 * timestamp}, {@code requestId}, {@code message.{id,model,usage}} with Anthropic's counts, {@code
 * sessionId} and {@code cwd}. Lines without {@code message.usage} and {@code <synthetic>} models
 * are no usage. Key: {@code message.id:requestId}, else {@code message.id}, {@code requestId},
 * {@code uuid}. Project: {@code cwd}, else the project directory the file lies in.
 */
final class ClaudeCodeFormat implements LineFormat {

  private static final String SYNTHETIC_MODEL = "<synthetic>";
  private static final List<String> FIELDS =
      List.of("message", "model", "timestamp", "requestId", "uuid", "sessionId", "cwd");

  private final JsonValues values = new JsonValues();
  private final UsageObject usage = new UsageObject("message.usage", values);
  private boolean hasMessage;
  private String messageId;
  private String messageModel;
  private String model;
  private Object timestamp;
  private String requestId;
  private String uuid;
  private String sessionId;
  private String cwd;

  @Override
  public List<String> fields() {
    return FIELDS;
  }

  @Override
  public void reset() {
    values.reset();
    usage.reset();
    hasMessage = false;
    messageId = messageModel = model = requestId = uuid = sessionId = cwd = null;
    timestamp = null;
  }

  @Override
  public boolean field(String name, JsonToken value, JsonParser p) throws IOException {
    if (!name.equals("message")
        && values.structured(name, name.equals("timestamp") ? null : "a string", p, value)) {
      return false;
    }
    switch (name) {
      case "message" -> {
        if (value != JsonToken.START_OBJECT) {
          return false;
        }
        hasMessage = true;
        readMessage(p);
        return true;
      }
      case "model" -> model = values.text(p, value, "model");
      case "timestamp" -> timestamp = values.time(p, value);
      case "requestId" -> requestId = values.text(p, value, "requestId");
      case "uuid" -> uuid = values.text(p, value, "uuid");
      case "sessionId" -> sessionId = values.text(p, value, "sessionId");
      case "cwd" -> cwd = values.text(p, value, "cwd");
      default -> {
        return false;
      }
    }
    return false;
  }

  private void readMessage(JsonParser p) throws IOException {
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken value = p.nextToken();
      switch (name) {
        case "id" -> messageId = values.text(p, value, "message.id");
        case "model" -> messageModel = values.text(p, value, "message.model");
        case "usage" -> usage.read(p, value);
        default -> p.skipChildren();
      }
    }
  }

  @Override
  public boolean claims() {
    return hasMessage;
  }

  @Override
  public LineParser.Kind interpret(SourceContext context, LineResult result, Instant now) {
    if (!usage.present) {
      if (usage.invalid) {
        return result.malformed(values.invalidText());
      }
      return LineParser.Kind.SKIPPED;
    }
    String name = messageModel != null ? messageModel : model;
    if (SYNTHETIC_MODEL.equals(name)) {
      return LineParser.Kind.SKIPPED;
    }
    if (values.hasInvalid()) {
      return result.malformed(values.invalidText());
    }
    if (name == null) {
      return result.malformed("message.model is missing");
    }
    if (usage.inputTokens == ABSENT) {
      return result.malformed("message.usage.input_tokens is missing");
    }
    if (usage.outputTokens == ABSENT) {
      return result.malformed("message.usage.output_tokens is missing");
    }
    long cacheCreation = usage.cacheCreation == ABSENT ? 0 : usage.cacheCreation;
    long cacheRead = usage.cacheRead == ABSENT ? 0 : usage.cacheRead;
    LineParser.Kind negative = result.firstNegative("message.usage.input_tokens", usage.inputTokens,
        "message.usage.output_tokens", usage.outputTokens, "message.usage.cache_creation_input_tokens",
        cacheCreation, "message.usage.cache_read_input_tokens", cacheRead);
    if (negative != null) {
      return negative;
    }
    String key;
    if (messageId != null) {
      key = requestId != null ? messageId + ':' + requestId : messageId;
    } else {
      key = requestId != null ? requestId : uuid;
    }
    // cwd is the real path; the directory name is that path with '/' and '.' turned into '-',
    // which cannot be turned back: it is the project only when the line has no cwd
    String project = cwd != null ? cwd : context.projectDirectory;
    String projectField = cwd != null ? "cwd" : "project directory";
    return result.build(TokenUsageEvent.builder(result.model(name)).inputTokens(usage.inputTokens)
            .outputTokens(usage.outputTokens).cacheCreationTokens(cacheCreation).cacheReadTokens(cacheRead),
        "message.usage", key, timestamp, now,
        new LineResult.Dimensions(project, projectField, sessionId, "sessionId", null, null));
  }
}
