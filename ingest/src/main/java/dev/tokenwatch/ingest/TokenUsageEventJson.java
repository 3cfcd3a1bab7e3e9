package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;

/**
 * tokenwatch's own event JSON, one object per event, as printed by {@code history --json} and read
 * back by {@link LogFormat#TOKENWATCH}:
 *
 * <pre>{@code
 * {"model":"gpt-4o","inputTokens":1200,"outputTokens":300,"cacheCreationTokens":0,
 *  "cacheReadTokens":0,"totalTokens":1500,"timestamp":"2025-06-01T12:00:00Z","requestId":"req_1"}
 * }</pre>
 *
 * Fields always appear in this order; {@code timestamp} is ISO-8601 in UTC; {@code requestId} is
 * {@code null} when the event has none. The event's dimensions follow when it has them: {@code
 * "project"}, {@code "session"} (strings) and {@code "tags"} (an object of strings, sorted by key),
 * e.g. {@code ...,"requestId":"req_1","project":"/home/dev/app","session":"s-1","tags":{"team":"search"}}.
 * Last comes {@code "costUsd"} when the event's cost is known: the cost stored with it in US dollars
 * as a plain decimal number with up to nine places ({@link CostUsd}), read back as it is (an
 * imported event keeps its cost and is not priced again).
 */
public final class TokenUsageEventJson {

  private static final JsonFactory FACTORY = new JsonFactory();
  /** Decimals as BigDecimal, so that costUsd reads exactly. */
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private TokenUsageEventJson() {}

  /** The event as one line of JSON (no line break). */
  public static String toJson(TokenUsageEvent event) {
    StringWriter out = new StringWriter(200);
    writeLine(event, out);
    return out.toString().stripTrailing();
  }

  /** Writes the event as one line of JSON followed by a line break. */
  public static void writeLine(TokenUsageEvent event, Writer out) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      write(event, g);
      g.flush();
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write event JSON: " + e.getMessage(), e);
    }
  }

  /** Writes the events as JSON lines, one per event. */
  public static void writeLines(List<TokenUsageEvent> events, Writer out) {
    for (TokenUsageEvent event : events) {
      writeLine(event, out);
    }
  }

  /** The events as one JSON array (pretty-printed, for humans and {@code jq}). */
  public static String toJsonArray(List<TokenUsageEvent> events) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartArray();
      for (TokenUsageEvent event : events) {
        write(event, g);
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write event JSON: " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static void write(TokenUsageEvent e, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("model", e.model());
    g.writeNumberField("inputTokens", e.inputTokens());
    g.writeNumberField("outputTokens", e.outputTokens());
    g.writeNumberField("cacheCreationTokens", e.cacheCreationTokens());
    g.writeNumberField("cacheReadTokens", e.cacheReadTokens());
    g.writeNumberField("totalTokens", e.totalTokens());
    g.writeStringField("timestamp", e.timestamp().toString());
    if (e.requestId() == null) {
      g.writeNullField("requestId");
    } else {
      g.writeStringField("requestId", e.requestId());
    }
    if (e.project() != null) {
      g.writeStringField("project", e.project());
    }
    if (e.session() != null) {
      g.writeStringField("session", e.session());
    }
    if (!e.tags().isEmpty()) {
      g.writeObjectFieldStart("tags");
      for (java.util.Map.Entry<String, String> tag : e.tags().entrySet()) {
        g.writeStringField(tag.getKey(), tag.getValue());
      }
      g.writeEndObject();
    }
    if (e.hasCost()) {
      CostUsd.write(g, "costUsd", e.costNanoUsd());
    }
    g.writeEndObject();
  }

  /**
   * Reads one event. Token fields default to 0 and {@code totalTokens} to the sum of the parts;
   * {@code model} and {@code timestamp} are required; without {@code costUsd} the cost is not known.
   *
   * @throws IllegalArgumentException naming the field and value when the JSON is not a valid event
   */
  public static TokenUsageEvent fromJson(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid event JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("event JSON must be an object, got " + json);
    }
    if (!node.path("model").isTextual()) {
      throw new IllegalArgumentException("model must be a string, got " + node.path("model"));
    }
    TokenUsageEvent.Builder builder = TokenUsageEvent.builder(node.get("model").textValue())
        .inputTokens(count(node, "inputTokens"))
        .outputTokens(count(node, "outputTokens"))
        .cacheCreationTokens(count(node, "cacheCreationTokens"))
        .cacheReadTokens(count(node, "cacheReadTokens"));
    if (!node.path("totalTokens").isMissingNode() && !node.get("totalTokens").isNull()) {
      builder.totalTokens(count(node, "totalTokens"));
    }
    JsonNode timestamp = node.path("timestamp");
    if (!timestamp.isTextual()) {
      throw new IllegalArgumentException("timestamp must be an ISO-8601 string, got " + timestamp);
    }
    try {
      builder.timestamp(Instant.parse(timestamp.textValue()));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("timestamp must be an ISO-8601 instant, got " + timestamp, e);
    }
    JsonNode requestId = node.path("requestId");
    if (requestId.isTextual()) {
      builder.requestId(requestId.textValue());
    } else if (!requestId.isMissingNode() && !requestId.isNull()) {
      throw new IllegalArgumentException("requestId must be a string or null, got " + requestId);
    }
    builder.project(optionalText(node, "project")).session(optionalText(node, "session"));
    JsonNode tags = node.path("tags");
    if (tags.isObject()) {
      for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = tags.fields(); it.hasNext(); ) {
        java.util.Map.Entry<String, JsonNode> tag = it.next();
        if (!tag.getValue().isTextual()) {
          throw new IllegalArgumentException("tags." + tag.getKey() + " must be a string, got " + tag.getValue());
        }
        builder.tag(tag.getKey(), tag.getValue().textValue());
      }
    } else if (!tags.isMissingNode() && !tags.isNull()) {
      throw new IllegalArgumentException("tags must be an object of strings, got " + tags);
    }
    JsonNode cost = node.path("costUsd");
    if (cost.isNumber()) {
      try {
        builder.costNanoUsd(CostUsd.nanos(cost.decimalValue()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("costUsd " + e.getMessage(), e);
      }
    } else if (!cost.isMissingNode() && !cost.isNull()) {
      throw new IllegalArgumentException("costUsd must be a decimal number of US dollars or null, got " + cost);
    }
    return builder.build();
  }

  private static String optionalText(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string or null, got " + value);
    }
    return value.textValue();
  }

  private static long count(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return 0;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException(field + " must be a whole number, got " + value);
    }
    return value.longValue();
  }
}
