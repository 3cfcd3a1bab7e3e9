package dev.tokenwatch.integration.langchain4j;

import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackResult;
import dev.tokenwatch.domain.port.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A LangChain4j {@link ChatModelListener} that tracks the token usage of every chat response with a
 * {@link TokenTracker}: the response's model (else the request's), its input, output and cache
 * tokens, its id as the request id (a response seen twice is counted once), and the project,
 * session and tags of the call's {@link TokenwatchAttributes}. Works for streaming models too: they
 * report a response once, complete, with its final usage. Failed calls ({@code onError}) are not
 * charged. The listener never breaks a call: if tracking fails, it logs a warning and returns.
 * It cannot refuse one either (LangChain4j ignores listeners' exceptions): for hard budgets, guard
 * the model with {@link TokenwatchAdmission}, which tracks the calls it guards itself; this listener
 * skips them, so a call is counted once when both are used.
 *
 * <pre>{@code
 * ChatModel model = OpenAiChatModel.builder()
 *     .apiKey(key).modelName("gpt-4o-mini")
 *     .listeners(List.of(TokenwatchChatModelListener.of(tracker)))
 *     .build();
 * }</pre>
 *
 * Cache tokens are read from {@code OpenAiTokenUsage} and {@code AnthropicTokenUsage} when the
 * response carries one; the provider modules are optional dependencies of this one.
 */
public final class TokenwatchChatModelListener implements ChatModelListener {

  private static final Logger LOG = LogManager.getLogger(TokenwatchChatModelListener.class);

  private final TokenTracker tracker;
  private final Clock clock;
  private final BiConsumer<TokenUsageEvent, TrackResult> onTracked;

  private TokenwatchChatModelListener(Builder builder) {
    this.tracker = builder.tracker;
    this.clock = builder.clock;
    this.onTracked = builder.onTracked;
  }

  /** A listener tracking with {@code tracker} on the system clock. */
  public static TokenwatchChatModelListener of(TokenTracker tracker) {
    return builder(tracker).build();
  }

  /** A builder of a listener tracking with {@code tracker}. */
  public static Builder builder(TokenTracker tracker) {
    return new Builder(tracker);
  }

  @Override
  public void onResponse(ChatModelResponseContext context) {
    ChatResponse response = context.chatResponse();
    if (response == null) {
      return; // LangChain4j always passes one; nothing to charge otherwise
    }
    Map<Object, Object> attributes = context.attributes();
    if (attributes != null && attributes.containsKey(TokenwatchAdmission.GUARDED)) {
      return; // a guarded model commits this response's usage itself
    }
    TokenUsageEvent event;
    TrackResult result;
    try {
      event = ChatUsageEvents.of(response, context.chatRequest(), attributes, clock.now());
      if (event == null) {
        LOG.warn("tokenwatch: response {} of model {} reports no token usage; nothing tracked",
            response.id(), response.modelName());
        return;
      }
      result = tracker.track(event);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("tokenwatch: could not track response {} of model {}; the call goes on", response.id(),
          response.modelName(), e);
      return;
    }
    try {
      onTracked.accept(event, result);
    } catch (RuntimeException e) {
      LOG.warn("tokenwatch: the onTracked callback failed for response {}; the usage is tracked", response.id(), e);
    }
  }

  /** Not charged: a failed call reports no usage. */
  @Override
  public void onError(ChatModelErrorContext context) {
    // nothing to charge
  }

  /** Builds a {@link TokenwatchChatModelListener}. */
  public static final class Builder {
    private final TokenTracker tracker;
    private Clock clock = Clock.system();
    private BiConsumer<TokenUsageEvent, TrackResult> onTracked = (event, result) -> {};

    private Builder(TokenTracker tracker) {
      this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    /** The clock that stamps each event (when its response arrived); defaults to the system's. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Called after each tracked event with its result, say {@code metrics::record} of tokenwatch's
     * Micrometer binder; a failing callback is logged and skipped.
     */
    public Builder onTracked(BiConsumer<TokenUsageEvent, TrackResult> value) {
      this.onTracked = Objects.requireNonNull(value, "onTracked");
      return this;
    }

    public TokenwatchChatModelListener build() {
      return new TokenwatchChatModelListener(this);
    }
  }
}
