package dev.tokenwatch.integration.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Turns one LangChain4j chat response into the {@link TokenUsageEvent} it is charged as. */
final class ChatUsageEvents {

  /** The model of a response that names none, nor its request. */
  static final String UNKNOWN_MODEL = "unknown";

  private static final Logger LOG = LogManager.getLogger(TokenwatchChatModelListener.class);

  private ChatUsageEvents() {}

  /**
   * The event of {@code response}, or {@code null} if it reports no token usage. Input tokens exclude
   * cache reads and writes (OpenAI counts its cached tokens in the input: they are moved out); the
   * total is the provider's, or the sum of the parts if that is larger (Anthropic's leaves out cache
   * tokens). Project, session and tags come from the attributes ({@link TokenwatchAttributes}); if
   * they are not valid, the event is kept without them and a warning names why.
   */
  static TokenUsageEvent of(ChatResponse response, ChatRequest request, Map<Object, Object> attributes, Instant now) {
    return of(response, request == null ? null : request.modelName(), attributes, now);
  }

  /** As {@link #of(ChatResponse, ChatRequest, Map, Instant)}, with the model the request named (null if none). */
  static TokenUsageEvent of(ChatResponse response, String requestedModel, Map<Object, Object> attributes,
      Instant now) {
    TokenUsage usage = response.tokenUsage();
    if (usage == null) {
      return null;
    }
    ProviderUsage.Cache cache = ProviderUsage.cacheOf(usage);
    long input = ProviderUsage.orZero(usage.inputTokenCount());
    if (cache.readIncludedInInput()) {
      input = Math.max(0, input - cache.read());
    }
    long output = ProviderUsage.orZero(usage.outputTokenCount());
    long sum = input + output + cache.creation() + cache.read();
    TokenUsageEvent event = TokenUsageEvent.builder(modelOf(response, requestedModel))
        .inputTokens(input)
        .outputTokens(output)
        .cacheCreationTokens(cache.creation())
        .cacheReadTokens(cache.read())
        .totalTokens(Math.max(sum, ProviderUsage.orZero(usage.totalTokenCount())))
        .timestamp(now)
        .requestId(blankToNull(response.id()))
        .build();
    return attributes == null || attributes.isEmpty() ? event : withDimensions(event, attributes);
  }

  /**
   * The estimate of a call about to be made for {@code requestedModel} (the request's, else its
   * model's default; null if neither names one), with the project, session and tags of {@code
   * attributes} as its usage will carry them.
   */
  static TokenUsageEvent estimate(String requestedModel, long inputTokens, long outputTokens,
      Map<Object, Object> attributes, Instant now) {
    String model = blankToNull(requestedModel);
    TokenUsageEvent event = TokenUsageEvent.builder(model != null ? model : UNKNOWN_MODEL)
        .inputTokens(inputTokens).outputTokens(outputTokens).timestamp(now).build();
    return attributes == null || attributes.isEmpty() ? event : withDimensions(event, attributes);
  }

  private static TokenUsageEvent withDimensions(TokenUsageEvent event, Map<Object, Object> attributes) {
    String project = text(attributes.get(TokenwatchAttributes.PROJECT));
    String session = text(attributes.get(TokenwatchAttributes.SESSION));
    TreeMap<String, String> tags = null;
    for (Map.Entry<Object, Object> attribute : attributes.entrySet()) {
      if (attribute.getKey() instanceof String key && key.startsWith(TokenwatchAttributes.TAG_PREFIX)) {
        if (tags == null) {
          tags = new TreeMap<>();
        }
        tags.put(key.substring(TokenwatchAttributes.TAG_PREFIX.length()), text(attribute.getValue()));
      }
    }
    if (project == null && session == null && tags == null) {
      return event;
    }
    try {
      return event.withDimensions(project, session, tags);
    } catch (IllegalArgumentException invalid) {
      LOG.warn("tokenwatch: listener attributes of response {} (model {}) not valid, tracked without project,"
          + " session and tags: {}", event.requestId(), event.model(), invalid.getMessage());
      return event;
    }
  }

  private static String modelOf(ChatResponse response, String requestedModel) {
    String model = blankToNull(response.modelName());
    if (model == null) {
      model = blankToNull(requestedModel);
    }
    return model != null ? model : UNKNOWN_MODEL;
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
