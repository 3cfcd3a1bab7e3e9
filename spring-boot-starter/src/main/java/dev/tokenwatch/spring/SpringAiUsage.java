package dev.tokenwatch.spring;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * The token counts of one Spring AI response as a {@link TokenUsageEvent}'s parts. Spring AI's
 * prompt tokens hold the cached tokens for OpenAI (its {@code prompt_tokens} include {@code
 * cached_tokens}) but not for Anthropic (its {@code input_tokens} exclude cache reads and writes), so
 * the provider is told by the native usage object's type, or, when Spring AI summed several rounds
 * and kept none, by the request options' type.
 */
final class SpringAiUsage {

  /** The model of an event whose response and request name none. */
  static final String UNKNOWN_MODEL = "unknown";

  private SpringAiUsage() {}

  /** Whether {@code response} carries usage (a stream's chunks before the last usually do not). */
  static boolean hasUsage(ChatResponse response) {
    if (response == null) {
      return false;
    }
    Usage usage = response.getMetadata().getUsage();
    return usage != null && !(usage instanceof EmptyUsage)
        && (usage.getNativeUsage() != null || value(usage.getTotalTokens()) > 0);
  }

  /**
   * The event of a call: counts from {@code usage}, the request id and model from the response's
   * metadata, else the model of the request's options.
   */
  static TokenUsageEvent.Builder event(Usage usage, String responseId, String responseModel, Prompt prompt,
      Instant timestamp) {
    long prompted = value(usage.getPromptTokens());
    long completion = value(usage.getCompletionTokens());
    long cacheRead = value(usage.getCacheReadInputTokens());
    long cacheWrite = value(usage.getCacheWriteInputTokens());
    long cached = Math.addExact(cacheRead, cacheWrite);
    ChatOptions options = prompt == null ? null : prompt.getOptions();
    boolean promptHoldsCache = !fromAnthropic(usage.getNativeUsage(), options) && prompted >= cached;
    long input = promptHoldsCache ? prompted - cached : prompted;
    long parts = Math.addExact(Math.addExact(input, completion), cached);
    return TokenUsageEvent.builder(model(responseModel, options))
        .inputTokens(input)
        .outputTokens(completion)
        .cacheReadTokens(cacheRead)
        .cacheCreationTokens(cacheWrite)
        .totalTokens(Math.max(parts, value(usage.getTotalTokens())))
        .requestId(hasText(responseId) ? responseId : null)
        .timestamp(timestamp);
  }

  /** The event of a whole (non-streamed) response; see {@link #event(Usage, String, String, Prompt, Instant)}. */
  static TokenUsageEvent.Builder event(ChatResponse response, Prompt prompt, Instant timestamp) {
    ChatResponseMetadata metadata = response.getMetadata();
    return event(metadata.getUsage(), metadata.getId(), metadata.getModel(), prompt, timestamp);
  }

  private static boolean fromAnthropic(Object nativeUsage, ChatOptions options) {
    Object witness = nativeUsage != null ? nativeUsage : options;
    if (witness == null) {
      return false;
    }
    String type = witness.getClass().getName();
    return type.startsWith("com.anthropic.") || type.startsWith("org.springframework.ai.anthropic.");
  }

  private static String model(String responseModel, ChatOptions options) {
    if (hasText(responseModel)) {
      return responseModel;
    }
    String requested = options == null ? null : options.getModel();
    return hasText(requested) ? requested : UNKNOWN_MODEL;
  }

  private static long value(Number n) {
    return n == null ? 0 : n.longValue();
  }

  private static boolean hasText(String s) {
    return s != null && !s.isBlank();
  }
}
