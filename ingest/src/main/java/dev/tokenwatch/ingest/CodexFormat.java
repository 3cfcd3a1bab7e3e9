package dev.tokenwatch.ingest;

import static dev.tokenwatch.ingest.JsonValues.ABSENT;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * An OpenAI Codex CLI session log line ({@code ~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl}):
 * {@code {"timestamp":…,"type":…,"payload":{…}}}. A {@code session_meta} line names the session
 * ({@code payload.id}) and its working directory; {@code turn_context} lines name the model (and
 * directory) of the turns after them; an {@code event_msg} whose payload is a {@code token_count}
 * carries {@code info.last_token_usage} (the usage of the latest model response) and {@code
 * info.total_token_usage} (the session's running total). Every other line is no usage.
 *
 * <p>Codex writes a token count after each response and sometimes repeats it unchanged; the running
 * total grows with every new response. Each response is therefore keyed by session and running
 * total ({@code <session>:<total_token_usage.total_tokens>}): a repeat has the same key and counts
 * once. Cached input is part of OpenAI's input count: it becomes cache-read tokens and the rest
 * input, so nothing is counted twice; reasoning tokens are part of the output count.
 */
final class CodexFormat implements LineFormat {

  private static final List<String> FIELDS = List.of("timestamp", "type", "payload");

  private final JsonValues values = new JsonValues();
  private Object timestamp;
  private String type;
  private boolean hasPayload;
  private String payloadType;
  private String id;
  private String cwd;
  private String model;
  private boolean hasInfo;
  private long runningTotal;
  private boolean hasLast;
  private long input;
  private long cached;
  private long output;
  private long total;

  @Override
  public List<String> fields() {
    return FIELDS;
  }

  @Override
  public void reset() {
    values.reset();
    timestamp = null;
    type = payloadType = id = cwd = model = null;
    hasPayload = hasInfo = hasLast = false;
    runningTotal = input = cached = output = total = ABSENT;
  }

  @Override
  public boolean field(String name, JsonToken value, JsonParser p) throws IOException {
    switch (name) {
      case "timestamp" -> {
        if (!value.isStructStart()) {
          timestamp = values.time(p, value);
        }
      }
      case "type" -> {
        // lines of other formats have a type of their own: look, but leave a non-string to them
        if (value == JsonToken.VALUE_STRING) {
          type = p.getText();
        }
        return false;
      }
      case "payload" -> {
        if (value != JsonToken.START_OBJECT) {
          return false;
        }
        hasPayload = true;
        readPayload(p);
        return true;
      }
      default -> {
        return false;
      }
    }
    return false;
  }

  private void readPayload(JsonParser p) throws IOException {
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken value = p.nextToken();
      switch (name) {
        case "type" -> payloadType = values.text(p, value, "payload.type");
        case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : skip(p);
        case "cwd" -> cwd = value == JsonToken.VALUE_STRING ? p.getText() : skip(p);
        case "model" -> model = value == JsonToken.VALUE_STRING ? p.getText() : skip(p);
        case "info" -> {
          if (values.object(p, value, "payload.info")) {
            hasInfo = true;
            readInfo(p);
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private void readInfo(JsonParser p) throws IOException {
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken value = p.nextToken();
      switch (name) {
        case "total_token_usage" -> {
          if (values.object(p, value, "payload.info.total_token_usage")) {
            readRunningTotal(p);
          }
        }
        case "last_token_usage" -> {
          if (values.object(p, value, "payload.info.last_token_usage")) {
            hasLast = true;
            readLast(p);
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private void readRunningTotal(JsonParser p) throws IOException {
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken value = p.nextToken();
      if (name.equals("total_tokens")) {
        runningTotal = values.number(p, value, "payload.info.total_token_usage.total_tokens");
      } else {
        p.skipChildren();
      }
    }
  }

  private void readLast(JsonParser p) throws IOException {
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken value = p.nextToken();
      switch (name) {
        case "input_tokens" -> input = values.number(p, value, "payload.info.last_token_usage.input_tokens");
        case "cached_input_tokens" ->
            cached = values.number(p, value, "payload.info.last_token_usage.cached_input_tokens");
        case "output_tokens" -> output = values.number(p, value, "payload.info.last_token_usage.output_tokens");
        case "total_tokens" -> total = values.number(p, value, "payload.info.last_token_usage.total_tokens");
        default -> p.skipChildren(); // reasoning_output_tokens: already part of output_tokens
      }
    }
  }

  private static String skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  /** A payload under one of the rollout line types. */
  @Override
  public boolean claims() {
    return hasPayload && type != null && switch (type) {
      case "session_meta", "turn_context", "event_msg", "response_item", "compacted" -> true;
      default -> false;
    };
  }

  @Override
  public LineParser.Kind interpret(SourceContext context, LineResult result, Instant now) {
    if (!hasPayload || type == null) {
      return LineParser.Kind.SKIPPED;
    }
    switch (type) {
      case "session_meta" -> {
        if (id == null) {
          return result.malformed("session_meta payload.id is missing: the session's token counts cannot be keyed");
        }
        context.codexSession = id;
        context.codexCwd = cwd;
        return LineParser.Kind.SKIPPED;
      }
      case "turn_context" -> {
        if (model != null) {
          context.codexModel = model;
        }
        if (cwd != null) {
          context.codexCwd = cwd;
        }
        return LineParser.Kind.SKIPPED;
      }
      case "event_msg" -> {
        return "token_count".equals(payloadType) ? tokenCount(context, result, now) : LineParser.Kind.SKIPPED;
      }
      default -> {
        return LineParser.Kind.SKIPPED;
      }
    }
  }

  private LineParser.Kind tokenCount(SourceContext context, LineResult result, Instant now) {
    if (values.hasInvalid()) {
      return result.malformed(values.invalidText());
    }
    if (!hasInfo) {
      return LineParser.Kind.SKIPPED; // rate limits only, before the first response of the session
    }
    if (!hasLast) {
      return result.malformed("payload.info.last_token_usage is missing");
    }
    if (runningTotal == ABSENT) {
      return result.malformed("payload.info.total_token_usage.total_tokens is missing");
    }
    if (input == ABSENT) {
      return result.malformed("payload.info.last_token_usage.input_tokens is missing");
    }
    if (output == ABSENT) {
      return result.malformed("payload.info.last_token_usage.output_tokens is missing");
    }
    if (context.codexSession == null) {
      return result.malformed("token_count before the session_meta line: the session is unknown");
    }
    if (context.codexModel == null) {
      return result.malformed("token_count before any turn_context line: the model is unknown");
    }
    long cachedInput = cached == ABSENT ? 0 : cached;
    LineParser.Kind negative = result.firstNegative("payload.info.last_token_usage.input_tokens", input,
        "payload.info.last_token_usage.cached_input_tokens", cachedInput,
        "payload.info.last_token_usage.output_tokens", output,
        "payload.info.total_token_usage.total_tokens", runningTotal);
    if (negative != null) {
      return negative;
    }
    if (cachedInput > input) {
      return result.malformed("payload.info.last_token_usage.cached_input_tokens (" + cachedInput
          + ") exceed input_tokens (" + input + ')');
    }
    TokenUsageEvent.Builder builder = TokenUsageEvent.builder(result.model(context.codexModel))
        .inputTokens(input - cachedInput).cacheReadTokens(cachedInput).outputTokens(output);
    if (total != ABSENT) {
      builder.totalTokens(total);
    }
    return result.build(builder, "payload.info.last_token_usage", context.codexSession + ':' + runningTotal,
        timestamp, now, new LineResult.Dimensions(context.codexCwd, "session_meta payload.cwd", context.codexSession,
            "session_meta payload.id", null, null));
  }
}
