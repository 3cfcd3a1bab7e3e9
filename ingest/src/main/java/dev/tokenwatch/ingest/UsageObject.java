package dev.tokenwatch.ingest;

import static dev.tokenwatch.ingest.JsonValues.ABSENT;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The counts of one {@code usage} object of an API response or a Claude Code message: the OpenAI
 * names ({@code prompt_tokens}, {@code completion_tokens}, {@code total_tokens}, {@code
 * *_tokens_details.cached_tokens}) and the Anthropic ones ({@code input_tokens}, {@code
 * output_tokens}, {@code cache_creation_input_tokens}, {@code cache_read_input_tokens}); the
 * formats decide which apply. Counts not in the object are {@link JsonValues#ABSENT}.
 */
final class UsageObject {

  private final String path;
  private final JsonValues values;
  /** The counts' names in messages ({@code path} and the field), made once rather than per line. */
  private final String promptTokensName;
  private final String completionTokensName;
  private final String totalTokensName;
  private final String inputTokensName;
  private final String outputTokensName;
  private final String cacheCreationInputTokensName;
  private final String cacheReadInputTokensName;
  private final String promptTokensDetailsName;
  private final String inputTokensDetailsName;

  boolean present;
  /** The field was there but not an object. */
  boolean invalid;
  long promptTokens;
  long completionTokens;
  long totalTokens;
  long inputTokens;
  long outputTokens;
  long cacheCreation;
  long cacheRead;
  long cached;

  /** @param path the field's name in messages, e.g. "usage" or "message.usage" */
  UsageObject(String path, JsonValues values) {
    this.path = path;
    this.values = values;
    this.promptTokensName = path + ".prompt_tokens";
    this.completionTokensName = path + ".completion_tokens";
    this.totalTokensName = path + ".total_tokens";
    this.inputTokensName = path + ".input_tokens";
    this.outputTokensName = path + ".output_tokens";
    this.cacheCreationInputTokensName = path + ".cache_creation_input_tokens";
    this.cacheReadInputTokensName = path + ".cache_read_input_tokens";
    this.promptTokensDetailsName = path + ".prompt_tokens_details";
    this.inputTokensDetailsName = path + ".input_tokens_details";
  }

  String path() {
    return path;
  }

  void reset() {
    present = invalid = false;
    promptTokens = completionTokens = totalTokens = inputTokens = outputTokens = ABSENT;
    cacheCreation = cacheRead = cached = ABSENT;
  }

  /** Reads the value of the usage field, whose first token is {@code value}. */
  void read(JsonParser p, JsonToken value) throws IOException {
    if (!values.object(p, value, path)) {
      invalid = value != JsonToken.VALUE_NULL;
      return;
    }
    present = true;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "prompt_tokens" -> promptTokens = values.number(p, v, promptTokensName);
        case "completion_tokens" -> completionTokens = values.number(p, v, completionTokensName);
        case "total_tokens" -> totalTokens = values.number(p, v, totalTokensName);
        case "input_tokens" -> inputTokens = values.number(p, v, inputTokensName);
        case "output_tokens" -> outputTokens = values.number(p, v, outputTokensName);
        case "cache_creation_input_tokens" ->
            cacheCreation = values.number(p, v, cacheCreationInputTokensName);
        case "cache_read_input_tokens" -> cacheRead = values.number(p, v, cacheReadInputTokensName);
        case "prompt_tokens_details" -> cached = cachedTokens(p, v, promptTokensDetailsName);
        case "input_tokens_details" -> cached = cachedTokens(p, v, inputTokensDetailsName);
        default -> p.skipChildren();
      }
    }
  }

  /** Whether the object has a field only OpenAI's usage has. */
  boolean hasOpenAiFields() {
    return promptTokens != ABSENT || completionTokens != ABSENT || totalTokens != ABSENT || cached != ABSENT;
  }

  private long cachedTokens(JsonParser p, JsonToken value, String field) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return ABSENT;
    }
    long result = ABSENT;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      if (name.equals("cached_tokens")) {
        result = values.number(p, v, field + ".cached_tokens");
      } else {
        p.skipChildren();
      }
    }
    return result;
  }
}
