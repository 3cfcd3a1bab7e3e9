package dev.tokenwatch.ingest;

import static dev.tokenwatch.ingest.JsonValues.ABSENT;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

/**
 * tokenwatch's own event JSON, as {@link TokenUsageEventJson} writes it: {@code model}, the four
 * parts and {@code totalTokens}, {@code timestamp}, {@code requestId}, and the optional {@code
 * project}, {@code session} and {@code tags} (an object of strings), and {@code costUsd} (the stored
 * cost, kept as it is: an imported event is not priced again).
 */
final class TokenwatchFormat implements LineFormat {

  private static final List<String> FIELDS = List.of("model", "inputTokens", "outputTokens", "cacheCreationTokens",
      "cacheReadTokens", "totalTokens", "timestamp", "requestId", "project", "session", "tags", "costUsd");

  private static final String COST = "a non-negative decimal number of US dollars with at most 9 places";

  private final JsonValues values = new JsonValues();
  private String model;
  private long input;
  private long output;
  private long cacheCreation;
  private long cacheRead;
  private long total;
  private Object timestamp;
  private String requestId;
  private String project;
  private String session;
  private TreeMap<String, String> tags;
  private long costNanoUsd;

  @Override
  public List<String> fields() {
    return FIELDS;
  }

  @Override
  public void reset() {
    values.reset();
    model = requestId = project = session = null;
    timestamp = null;
    tags = null;
    input = output = cacheCreation = cacheRead = total = ABSENT;
    costNanoUsd = TokenUsageEvent.NO_COST;
  }

  @Override
  public boolean field(String name, JsonToken value, JsonParser p) throws IOException {
    if (!name.equals("tags") && values.structured(name, name.equals("timestamp") ? null
        : name.endsWith("Tokens") ? "a whole number" : name.equals("costUsd") ? COST : "a string", p, value)) {
      switch (name) { // a count given as an object still makes the line tokenwatch's, and malformed
        case "inputTokens" -> input = JsonValues.INVALID;
        case "outputTokens" -> output = JsonValues.INVALID;
        case "totalTokens" -> total = JsonValues.INVALID;
        default -> { }
      }
      return false;
    }
    switch (name) {
      case "model" -> model = values.text(p, value, "model");
      case "inputTokens" -> input = values.number(p, value, "inputTokens");
      case "outputTokens" -> output = values.number(p, value, "outputTokens");
      case "cacheCreationTokens" -> cacheCreation = values.number(p, value, "cacheCreationTokens");
      case "cacheReadTokens" -> cacheRead = values.number(p, value, "cacheReadTokens");
      case "totalTokens" -> total = values.number(p, value, "totalTokens");
      case "timestamp" -> timestamp = values.time(p, value);
      case "requestId" -> requestId = values.text(p, value, "requestId");
      case "project" -> project = values.text(p, value, "project");
      case "session" -> session = values.text(p, value, "session");
      case "costUsd" -> costNanoUsd = cost(p, value);
      case "tags" -> {
        if (value == JsonToken.START_OBJECT) {
          readTags(p);
          return true;
        }
        if (value != JsonToken.VALUE_NULL) {
          values.invalid("tags", "an object of strings", p, value); // the line parser skips it
        }
      }
      default -> {
        return false;
      }
    }
    return false;
  }

  private long cost(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
      try {
        return CostUsd.nanos(p.getDecimalValue());
      } catch (IllegalArgumentException e) {
        values.invalid("costUsd", COST, p, value); // negative, finer than a nano-dollar, or too large
      }
    } else if (value != JsonToken.VALUE_NULL) {
      values.invalid("costUsd", COST, p, value);
    }
    return TokenUsageEvent.NO_COST;
  }

  private void readTags(JsonParser p) throws IOException {
    tags = new TreeMap<>();
    String key;
    while ((key = p.nextFieldName()) != null) {
      String value = values.text(p, p.nextToken(), "tags." + key);
      if (value != null) {
        tags.put(key, value);
      }
    }
  }

  /** Any of its count fields: no other format has them. */
  @Override
  public boolean claims() {
    return total != ABSENT || input != ABSENT || output != ABSENT;
  }

  @Override
  public LineParser.Kind interpret(SourceContext context, LineResult result, Instant now) {
    if (values.hasInvalid()) {
      return result.malformed(values.invalidText());
    }
    if (model == null) {
      return result.malformed("model is missing");
    }
    long in = orZero(input);
    long out = orZero(output);
    long created = orZero(cacheCreation);
    long read = orZero(cacheRead);
    LineParser.Kind negative = result.firstNegative("inputTokens", in, "outputTokens", out, "cacheCreationTokens",
        created, "cacheReadTokens", read);
    if (negative != null) {
      return negative;
    }
    TokenUsageEvent.Builder builder = TokenUsageEvent.builder(result.model(model)).inputTokens(in).outputTokens(out)
        .cacheCreationTokens(created).cacheReadTokens(read).costNanoUsd(costNanoUsd);
    if (total != ABSENT) {
      builder.totalTokens(total);
    }
    return result.build(builder, "", requestId, timestamp, now,
        new LineResult.Dimensions(project, "project", session, "session", tags, "tags"));
  }

  private static long orZero(long value) {
    return value == ABSENT ? 0 : value;
  }
}
