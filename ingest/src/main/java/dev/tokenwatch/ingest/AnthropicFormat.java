package dev.tokenwatch.ingest;

import static dev.tokenwatch.ingest.JsonValues.ABSENT;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;

/**
 * An Anthropic Messages API response: {@code usage.input_tokens}, {@code output_tokens}, {@code
 * cache_creation_input_tokens}, {@code cache_read_input_tokens}, four disjoint parts whose sum is
 * the total. Key: {@code id}.
 */
final class AnthropicFormat extends ApiResponseFormat {

  /** @param response the fields, shared with {@link OpenAiFormat} when both are candidates */
  AnthropicFormat(ApiResponseFields response) {
    super(response);
  }

  /** Any usage field (asked after OpenAI), or a {@code type: message} response with a model. */
  @Override
  public boolean claims() {
    return response.hasUsageField() || "message".equals(response.type) && response.model != null;
  }

  @Override
  public LineParser.Kind interpret(SourceContext context, LineResult result, Instant now) {
    UsageObject u = response.usage;
    if (!u.present) {
      return response.usageMissing(result);
    }
    JsonValues values = response.values;
    if (response.model == null) {
      return result.malformed(values.hasInvalid() ? values.invalidText() : "model is missing");
    }
    if (values.hasInvalid()) {
      return result.malformed(values.invalidText());
    }
    if (u.inputTokens == ABSENT) {
      return result.malformed("usage.input_tokens is missing");
    }
    if (u.outputTokens == ABSENT) {
      return result.malformed("usage.output_tokens is missing");
    }
    long cacheCreation = u.cacheCreation == ABSENT ? 0 : u.cacheCreation;
    long cacheRead = u.cacheRead == ABSENT ? 0 : u.cacheRead;
    LineParser.Kind negative = result.firstNegative("usage.input_tokens", u.inputTokens, "usage.output_tokens",
        u.outputTokens, "usage.cache_creation_input_tokens", cacheCreation, "usage.cache_read_input_tokens",
        cacheRead);
    if (negative != null) {
      return negative;
    }
    return result.build(TokenUsageEvent.builder(result.model(response.model)).inputTokens(u.inputTokens)
            .outputTokens(u.outputTokens).cacheCreationTokens(cacheCreation).cacheReadTokens(cacheRead),
        "usage", response.id, response.time(), now, LineResult.Dimensions.NONE);
  }
}
