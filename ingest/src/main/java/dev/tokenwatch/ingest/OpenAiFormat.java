package dev.tokenwatch.ingest;

import static dev.tokenwatch.ingest.JsonValues.ABSENT;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;

/**
 * An OpenAI Chat Completions ({@code usage.prompt_tokens/completion_tokens/total_tokens}) or
 * Responses ({@code usage.input_tokens/output_tokens/total_tokens}) API response. {@code
 * *_tokens_details.cached_tokens} are part of the input: they become cache-read tokens and the
 * rest input, so the parts add up to {@code total_tokens}. Key: {@code id}.
 */
final class OpenAiFormat extends ApiResponseFormat {

  /** @param response the fields, shared with {@link AnthropicFormat} when both are candidates */
  OpenAiFormat(ApiResponseFields response) {
    super(response);
  }

  /** OpenAI usage fields, or an {@code object} naming a response (Anthropic's have a {@code type}). */
  @Override
  public boolean claims() {
    String object = response.object;
    if (response.hasUsageField()) {
      return response.usage.hasOpenAiFields() || object != null && !"message".equals(response.type);
    }
    return "chat.completion".equals(object) || "response".equals(object);
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
    boolean chat = u.promptTokens != ABSENT || u.completionTokens != ABSENT;
    String inName = chat ? "usage.prompt_tokens" : "usage.input_tokens";
    String outName = chat ? "usage.completion_tokens" : "usage.output_tokens";
    long prompt = chat ? u.promptTokens : u.inputTokens;
    long completion = chat ? u.completionTokens : u.outputTokens;
    if (values.hasInvalid()) {
      return result.malformed(values.invalidText());
    }
    if (prompt == ABSENT) {
      return result.malformed(inName + " is missing");
    }
    if (completion == ABSENT) {
      return result.malformed(outName + " is missing");
    }
    long cached = u.cached == ABSENT ? 0 : u.cached;
    LineParser.Kind negative = result.firstNegative(inName, prompt, outName, completion, "usage cached_tokens",
        cached, "usage.total_tokens", u.totalTokens == ABSENT ? 0 : u.totalTokens);
    if (negative != null) {
      return negative;
    }
    if (cached > prompt) {
      return result.malformed("usage cached_tokens (" + cached + ") exceed " + inName + " (" + prompt + ')');
    }
    long total;
    try {
      total = u.totalTokens == ABSENT ? Math.addExact(prompt, completion) : u.totalTokens;
    } catch (ArithmeticException overflow) {
      return result.malformed("token counts overflow a long");
    }
    return result.build(TokenUsageEvent.builder(result.model(response.model)).inputTokens(prompt - cached)
            .outputTokens(completion).cacheReadTokens(cached).totalTokens(total), "usage", response.id,
        response.time(), now, LineResult.Dimensions.NONE);
  }
}
