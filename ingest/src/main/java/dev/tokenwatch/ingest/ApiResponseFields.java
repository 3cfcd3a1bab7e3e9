package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.List;

/**
 * The top-level fields of an OpenAI or Anthropic API response: {@code id}, {@code model}, {@code
 * object}, {@code type}, the time ({@code created}, {@code created_at} or {@code timestamp}) and
 * {@code usage}. Read once per line and shared by {@link OpenAiFormat} and {@link AnthropicFormat},
 * which tell the two apart.
 */
final class ApiResponseFields {

  static final List<String> FIELDS = List.of("id", "model", "object", "type", "created", "created_at", "timestamp",
      "usage");

  final JsonValues values = new JsonValues();
  final UsageObject usage = new UsageObject("usage", values);
  String id;
  String model;
  String object;
  String type;
  Object created;
  Object createdAt;
  Object timestamp;

  void reset() {
    values.reset();
    usage.reset();
    id = model = object = type = null;
    created = createdAt = timestamp = null;
  }

  /** As {@link LineFormat#field}. */
  boolean field(String name, JsonToken value, JsonParser p) throws IOException {
    if (!name.equals("usage") && values.structured(name,
        name.equals("created") || name.equals("created_at") || name.equals("timestamp") ? null : "a string", p, value)) {
      return false;
    }
    switch (name) {
      case "id" -> id = values.text(p, value, "id");
      case "model" -> model = values.text(p, value, "model");
      case "object" -> object = values.text(p, value, "object");
      case "type" -> type = values.text(p, value, "type");
      case "created" -> created = values.time(p, value);
      case "created_at" -> createdAt = values.time(p, value);
      case "timestamp" -> timestamp = values.time(p, value);
      case "usage" -> {
        usage.read(p, value);
        return true;
      }
      default -> {
        return false;
      }
    }
    return false;
  }

  /** Whether the line has a usage field, valid or not. */
  boolean hasUsageField() {
    return usage.present || usage.invalid;
  }

  /** {@code created}, else {@code created_at}, else {@code timestamp}; null if none. */
  Object time() {
    return created != null ? created : createdAt != null ? createdAt : timestamp;
  }

  /** "usage is missing", or the first invalid value if one is why. */
  LineParser.Kind usageMissing(LineResult result) {
    return result.malformed(values.hasInvalid() ? values.invalidText() : "usage is missing");
  }
}
