package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns one log line into a usage event with Jackson's streaming parser. Only the fields that
 * matter are read; everything else (message content, tool results) is skipped token by token
 * without building strings or trees. One instance per thread: it reuses its scratch state.
 */
final class LineParser {

  /** What {@link #parse} found. */
  enum Kind {
    EVENT,
    SKIPPED,
    MALFORMED
  }

  static final long ABSENT = Long.MIN_VALUE;
  private static final long INVALID = Long.MIN_VALUE + 1;
  private static final String SYNTHETIC_MODEL = "<synthetic>";

  private final JsonFactory factory;
  private final LogFormat format;
  /** Canonical model names: a log names a handful of models millions of times. */
  private final Map<String, String> models = new HashMap<>();

  private final Fields top = new Fields();
  private final Fields message = new Fields();
  private String invalidField;
  private String invalidValue;

  // results of the last parse
  private TokenUsageEvent event;
  private String reason;
  private boolean chargedAtIngestTime;
  private boolean truncated;

  LineParser(JsonFactory factory, LogFormat format) {
    this.factory = factory;
    this.format = format;
  }

  TokenUsageEvent event() {
    return event;
  }

  String reason() {
    return reason;
  }

  boolean chargedAtIngestTime() {
    return chargedAtIngestTime;
  }

  /** Whether the last malformed line ended inside a JSON value (it may still be being written). */
  boolean truncated() {
    return truncated;
  }

  /**
   * Parses {@code len} bytes at {@code off} (one line without its line break).
   *
   * @param now the time of ingest: charged to records without a timestamp, and the reference for
   *     rejecting records stamped in the future
   */
  Kind parse(byte[] buf, int off, int len, Instant now) {
    event = null;
    reason = null;
    chargedAtIngestTime = false;
    truncated = false;
    if (isBlank(buf, off, len)) {
      return Kind.SKIPPED;
    }
    top.reset();
    message.reset();
    invalidField = null;
    invalidValue = null;
    try (JsonParser p = factory.createParser(buf, off, len)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        return malformed("expected a JSON object, got " + describe(first, p));
      }
      readTop(p);
      JsonToken after = p.nextToken();
      if (after != null) {
        return malformed("unexpected " + describe(after, p) + " after the JSON object");
      }
    } catch (JsonEOFException e) {
      truncated = true;
      return malformed("invalid JSON: incomplete, the line ends before the object is closed");
    } catch (InputCoercionException e) {
      return malformed("number out of range: " + e.getOriginalMessage());
    } catch (StreamReadException e) {
      return malformed("invalid JSON at column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      // parsing a byte array does no I/O; anything else is a parse failure of this line
      return malformed("invalid JSON: " + e.getMessage());
    }
    return interpret(now);
  }

  private void readTop(JsonParser p) throws IOException {
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken value = p.nextToken();
      switch (name) {
        case "model" -> top.model = text(p, value, "model");
        case "id" -> top.id = text(p, value, "id");
        case "object" -> top.object = text(p, value, "object");
        case "type" -> top.type = text(p, value, "type");
        case "created" -> top.created = time(p, value);
        case "created_at" -> top.createdAt = time(p, value);
        case "timestamp" -> top.timestamp = time(p, value);
        case "requestId" -> top.requestId = text(p, value, "requestId");
        case "uuid" -> top.uuid = text(p, value, "uuid");
        case "usage" -> readUsage(p, value, top, "usage");
        case "message" -> {
          if (value == JsonToken.START_OBJECT) {
            top.hasMessage = true;
            readMessage(p);
          } else {
            p.skipChildren();
          }
        }
        case "inputTokens" -> top.twInput = number(p, value, "inputTokens");
        case "outputTokens" -> top.twOutput = number(p, value, "outputTokens");
        case "cacheCreationTokens" -> top.twCacheCreation = number(p, value, "cacheCreationTokens");
        case "cacheReadTokens" -> top.twCacheRead = number(p, value, "cacheReadTokens");
        case "totalTokens" -> top.twTotal = number(p, value, "totalTokens");
        default -> p.skipChildren();
      }
    }
  }

  private void readMessage(JsonParser p) throws IOException {
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken value = p.nextToken();
      switch (name) {
        case "id" -> message.id = text(p, value, "message.id");
        case "model" -> message.model = text(p, value, "message.model");
        case "usage" -> readUsage(p, value, message, "message.usage");
        default -> p.skipChildren();
      }
    }
  }

  private void readUsage(JsonParser p, JsonToken value, Fields into, String path) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    if (value != JsonToken.START_OBJECT) {
      invalid(path, p, value);
      into.usageInvalid = true;
      p.skipChildren();
      return;
    }
    into.hasUsage = true;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "prompt_tokens" -> into.promptTokens = number(p, v, path + ".prompt_tokens");
        case "completion_tokens" -> into.completionTokens = number(p, v, path + ".completion_tokens");
        case "total_tokens" -> into.totalTokens = number(p, v, path + ".total_tokens");
        case "input_tokens" -> into.inputTokens = number(p, v, path + ".input_tokens");
        case "output_tokens" -> into.outputTokens = number(p, v, path + ".output_tokens");
        case "cache_creation_input_tokens" ->
            into.cacheCreation = number(p, v, path + ".cache_creation_input_tokens");
        case "cache_read_input_tokens" -> into.cacheRead = number(p, v, path + ".cache_read_input_tokens");
        case "prompt_tokens_details" -> into.cached = cachedTokens(p, v, path + ".prompt_tokens_details");
        case "input_tokens_details" -> into.cached = cachedTokens(p, v, path + ".input_tokens_details");
        default -> p.skipChildren();
      }
    }
  }

  private long cachedTokens(JsonParser p, JsonToken value, String path) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return ABSENT;
    }
    long cached = ABSENT;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      if (name.equals("cached_tokens")) {
        cached = number(p, v, path + ".cached_tokens");
      } else {
        p.skipChildren();
      }
    }
    return cached;
  }

  private String text(JsonParser p, JsonToken value, String field) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (value != JsonToken.VALUE_NULL) {
      invalid(field, p, value);
      p.skipChildren();
    }
    return null;
  }

  /** A timestamp field: an ISO-8601 string or epoch seconds; null when absent. */
  private Object time(JsonParser p, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDecimalValue();
      default -> {
        p.skipChildren();
        yield null;
      }
    };
  }

  private long number(JsonParser p, JsonToken value, String field) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (value == JsonToken.VALUE_NULL) {
      return ABSENT;
    }
    invalid(field, p, value);
    p.skipChildren();
    return INVALID;
  }

  private void invalid(String field, JsonParser p, JsonToken value) throws IOException {
    if (invalidField == null) {
      invalidField = field;
      invalidValue = describe(value, p);
    }
  }

  private Kind interpret(Instant now) {
    LogFormat kind = format == LogFormat.AUTO ? detect() : format;
    if (kind == null) {
      return Kind.SKIPPED;
    }
    try {
      return switch (kind) {
        case CLAUDE_CODE -> claudeCode(now);
        case OPENAI -> response(now, true);
        case ANTHROPIC -> response(now, false);
        case TOKENWATCH -> tokenwatch(now);
        case AUTO -> throw new IllegalStateException("detect() never yields AUTO");
      };
    } catch (ArithmeticException overflow) {
      return malformed("token counts overflow a long");
    }
  }

  /** The format of the line just read, or null for a line that is no usage record of any format. */
  private LogFormat detect() {
    if (top.twTotal != ABSENT || top.twInput != ABSENT || top.twOutput != ABSENT) {
      return LogFormat.TOKENWATCH;
    }
    if (top.hasMessage) {
      return LogFormat.CLAUDE_CODE;
    }
    if (top.hasUsage || top.usageInvalid) {
      return looksLikeOpenAi() ? LogFormat.OPENAI : LogFormat.ANTHROPIC;
    }
    // a response object without usage is malformed; anything else is simply not a usage record
    if ("chat.completion".equals(top.object) || "response".equals(top.object)) {
      return LogFormat.OPENAI;
    }
    if ("message".equals(top.type) && top.model != null) {
      return LogFormat.ANTHROPIC;
    }
    return null;
  }

  private boolean looksLikeOpenAi() {
    return top.promptTokens != ABSENT || top.completionTokens != ABSENT || top.totalTokens != ABSENT
        || top.cached != ABSENT || (top.object != null && !"message".equals(top.type));
  }

  private Kind claudeCode(Instant now) {
    if (!message.hasUsage) {
      if (message.usageInvalid) {
        return invalidOrMissing("message.usage");
      }
      return Kind.SKIPPED;
    }
    String model = message.model != null ? message.model : top.model;
    if (SYNTHETIC_MODEL.equals(model)) {
      return Kind.SKIPPED;
    }
    if (model == null) {
      return malformed(invalidField != null ? invalidText() : "message.model is missing");
    }
    String key;
    if (message.id != null) {
      key = top.requestId != null ? message.id + ':' + top.requestId : message.id;
    } else {
      key = top.requestId != null ? top.requestId : top.uuid;
    }
    return anthropicUsage(message, "message.usage", model, key, top.timestamp, now);
  }

  private Kind response(Instant now, boolean openAi) {
    if (!top.hasUsage) {
      return invalidOrMissing("usage");
    }
    if (top.model == null) {
      return malformed(invalidField != null ? invalidText() : "model is missing");
    }
    Object time = top.created != null ? top.created : top.createdAt != null ? top.createdAt : top.timestamp;
    return openAi ? openAiUsage(top.model, top.id, time, now)
        : anthropicUsage(top, "usage", top.model, top.id, time, now);
  }

  private Kind openAiUsage(String model, String key, Object time, Instant now) {
    Fields u = top;
    boolean chat = u.promptTokens != ABSENT || u.completionTokens != ABSENT;
    String inName = chat ? "usage.prompt_tokens" : "usage.input_tokens";
    String outName = chat ? "usage.completion_tokens" : "usage.output_tokens";
    long prompt = chat ? u.promptTokens : u.inputTokens;
    long completion = chat ? u.completionTokens : u.outputTokens;
    if (invalidField != null) {
      return malformed(invalidText());
    }
    if (prompt == ABSENT) {
      return malformed(inName + " is missing");
    }
    if (completion == ABSENT) {
      return malformed(outName + " is missing");
    }
    long cached = u.cached == ABSENT ? 0 : u.cached;
    Kind negative = firstNegative(inName, prompt, outName, completion,
        "usage cached_tokens", cached, "usage.total_tokens", u.totalTokens == ABSENT ? 0 : u.totalTokens);
    if (negative != null) {
      return negative;
    }
    if (cached > prompt) {
      return malformed("usage cached_tokens (" + cached + ") exceed " + inName + " (" + prompt + ')');
    }
    long total = u.totalTokens == ABSENT ? Math.addExact(prompt, completion) : u.totalTokens;
    return build(TokenUsageEvent.builder(canonicalModel(model)).inputTokens(prompt - cached).outputTokens(completion)
        .cacheReadTokens(cached).totalTokens(total), "usage", key, time, now);
  }

  private Kind anthropicUsage(Fields u, String path, String model, String key, Object time, Instant now) {
    if (invalidField != null) {
      return malformed(invalidText());
    }
    if (u.inputTokens == ABSENT) {
      return malformed(path + ".input_tokens is missing");
    }
    if (u.outputTokens == ABSENT) {
      return malformed(path + ".output_tokens is missing");
    }
    long cacheCreation = u.cacheCreation == ABSENT ? 0 : u.cacheCreation;
    long cacheRead = u.cacheRead == ABSENT ? 0 : u.cacheRead;
    Kind negative = firstNegative(path + ".input_tokens", u.inputTokens, path + ".output_tokens", u.outputTokens,
        path + ".cache_creation_input_tokens", cacheCreation, path + ".cache_read_input_tokens", cacheRead);
    if (negative != null) {
      return negative;
    }
    return build(TokenUsageEvent.builder(canonicalModel(model)).inputTokens(u.inputTokens).outputTokens(u.outputTokens)
        .cacheCreationTokens(cacheCreation).cacheReadTokens(cacheRead), path, key, time, now);
  }

  private Kind tokenwatch(Instant now) {
    if (invalidField != null) {
      return malformed(invalidText());
    }
    if (top.model == null) {
      return malformed("model is missing");
    }
    long input = orZero(top.twInput);
    long output = orZero(top.twOutput);
    long cacheCreation = orZero(top.twCacheCreation);
    long cacheRead = orZero(top.twCacheRead);
    Kind negative = firstNegative("inputTokens", input, "outputTokens", output, "cacheCreationTokens",
        cacheCreation, "cacheReadTokens", cacheRead);
    if (negative != null) {
      return negative;
    }
    TokenUsageEvent.Builder builder = TokenUsageEvent.builder(canonicalModel(top.model)).inputTokens(input)
        .outputTokens(output).cacheCreationTokens(cacheCreation).cacheReadTokens(cacheRead);
    if (top.twTotal != ABSENT) {
      builder.totalTokens(top.twTotal);
    }
    return build(builder, "", top.requestId, top.timestamp, now);
  }

  private Kind build(TokenUsageEvent.Builder builder, String path, String key, Object time, Instant now) {
    Instant timestamp = toInstant(time);
    if (timestamp == null) {
      timestamp = now;
      chargedAtIngestTime = true;
    } else if (timestamp.isAfter(now.plus(TokenTracker.MAX_CLOCK_SKEW))) {
      return malformed("timestamp " + timestamp + " is more than " + TokenTracker.MAX_CLOCK_SKEW.toMinutes()
          + " minutes in the future (now " + now + ')');
    }
    try {
      event = builder.timestamp(timestamp).requestId(key).build();
      return Kind.EVENT;
    } catch (IllegalArgumentException e) {
      return malformed(path.isEmpty() ? e.getMessage() : path + ": " + e.getMessage());
    }
  }

  /** An ISO-8601 instant (with offset) or epoch seconds; null if absent or not usable. */
  private static Instant toInstant(Object time) {
    try {
      if (time instanceof String text) {
        Instant fast = Timestamps.parseUtc(text);
        return fast != null ? fast : Instant.parse(text);
      }
      if (time instanceof BigDecimal seconds) {
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        return Instant.ofEpochSecond(whole.longValueExact(), seconds.subtract(whole).movePointRight(9).longValue());
      }
    } catch (DateTimeException | ArithmeticException e) {
      // not a usable timestamp: the record is charged to the time of ingest, as documented
      return null;
    }
    return null;
  }

  private Kind invalidOrMissing(String usagePath) {
    return malformed(invalidField != null ? invalidText() : usagePath + " is missing");
  }

  private Kind firstNegative(String n1, long v1, String n2, long v2, String n3, long v3, String n4, long v4) {
    String name = v1 < 0 ? n1 : v2 < 0 ? n2 : v3 < 0 ? n3 : v4 < 0 ? n4 : null;
    if (name == null) {
      return null;
    }
    long value = v1 < 0 ? v1 : v2 < 0 ? v2 : v3 < 0 ? v3 : v4;
    return malformed(name + " must not be negative, got " + value);
  }

  private String canonicalModel(String model) {
    String known = models.get(model);
    if (known != null) {
      return known;
    }
    if (models.size() < 10_000) {
      models.put(model, model);
    }
    return model;
  }

  private String invalidText() {
    return invalidField + " must be " + (invalidField.endsWith("usage") ? "an object" : expected(invalidField))
        + ", got " + invalidValue;
  }

  private static String expected(String field) {
    return field.endsWith("tokens") || field.endsWith("Tokens") ? "a whole number" : "a string";
  }

  private Kind malformed(String why) {
    reason = why;
    return Kind.MALFORMED;
  }

  private static long orZero(long value) {
    return value == ABSENT ? 0 : value;
  }

  private static boolean isBlank(byte[] buf, int off, int len) {
    for (int i = off, end = off + len; i < end; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private static String describe(JsonToken token, JsonParser p) throws IOException {
    if (token == null) {
      return "end of line";
    }
    return switch (token) {
      case VALUE_STRING -> '"' + abbreviate(p.getText()) + '"';
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> token.asString() == null ? token.name() : token.asString();
    };
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  /** The fields of interest of one JSON object level. */
  private static final class Fields {
    String model;
    String id;
    String object;
    String type;
    Object created;
    Object createdAt;
    Object timestamp;
    String requestId;
    String uuid;
    boolean hasMessage;
    boolean hasUsage;
    boolean usageInvalid;
    long promptTokens;
    long completionTokens;
    long totalTokens;
    long inputTokens;
    long outputTokens;
    long cacheCreation;
    long cacheRead;
    long cached;
    long twInput;
    long twOutput;
    long twCacheCreation;
    long twCacheRead;
    long twTotal;

    void reset() {
      model = id = object = type = requestId = uuid = null;
      created = createdAt = timestamp = null;
      hasMessage = hasUsage = usageInvalid = false;
      promptTokens = completionTokens = totalTokens = inputTokens = outputTokens = ABSENT;
      cacheCreation = cacheRead = cached = ABSENT;
      twInput = twOutput = twCacheCreation = twCacheRead = twTotal = ABSENT;
    }
  }
}
