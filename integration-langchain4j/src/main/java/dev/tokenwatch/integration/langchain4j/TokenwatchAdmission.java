package dev.tokenwatch.integration.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.tokenwatch.domain.BudgetExceededException;
import dev.tokenwatch.domain.Reservation;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackResult;
import dev.tokenwatch.domain.port.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The enforcing mode for LangChain4j: a model {@linkplain #guard(ChatModel) guarded} by it reserves
 * an estimate of each request with {@link TokenTracker#reserve(TokenUsageEvent)} before sending it,
 * and refuses the call with the tracker's {@link BudgetExceededException} (the request is not sent)
 * when a hard budget would be passed; the reservation is committed with the response's usage (mapped
 * as {@link TokenwatchChatModelListener} maps it) or released if the call fails or a stream is
 * cancelled. Off unless a model is guarded:
 *
 * <pre>{@code
 * ChatModel model = TokenwatchAdmission.of(tracker).guard(OpenAiChatModel.builder()...build());
 * }</pre>
 *
 * A listener cannot do this: LangChain4j logs and ignores an exception thrown by {@code
 * ChatModelListener.onRequest}. A guarded model tracks its calls itself; a {@link
 * TokenwatchChatModelListener} on the model it guards skips them, so a call is tracked once.
 *
 * <p>If the tracker cannot reserve (its store fails, or a hard budget in USD meets an unpriced
 * model), the exception fails the call: enforcing means no call goes unchecked. If the commit fails
 * after the call, the response is returned, a warning is logged, and the reservation expires after the
 * tracker's reservation timeout.
 */
public final class TokenwatchAdmission {

  /** Listener attribute marking a call whose usage the admission settles (the listener skips it). */
  static final String GUARDED = "tokenwatch.guarded";
  private static final ChatRequestOptions MARKED_ONLY = ChatRequestOptions.builder()
      .listenerAttributes(Map.of(GUARDED, Boolean.TRUE)).build();

  private final TokenTracker tracker;
  private final ChatRequestEstimator estimator;
  private final Clock clock;
  private final BiConsumer<TokenUsageEvent, TrackResult> onTracked;

  private TokenwatchAdmission(Builder builder) {
    this.tracker = builder.tracker;
    this.estimator = builder.estimator;
    this.clock = builder.clock;
    this.onTracked = builder.onTracked;
  }

  /** An admission reserving with {@code tracker} the {@linkplain ChatRequestEstimator#heuristic() heuristic} estimate. */
  public static TokenwatchAdmission of(TokenTracker tracker) {
    return builder(tracker).build();
  }

  /** A builder of an admission reserving with {@code tracker}. */
  public static Builder builder(TokenTracker tracker) {
    return new Builder(tracker);
  }

  /** {@code model}, reserving before each call and settling after it. */
  public ChatModel guard(ChatModel model) {
    return new GuardedChatModel(Objects.requireNonNull(model, "model"), this);
  }

  /** {@code model}, reserving before each call and settling when the stream completes, fails or is cancelled. */
  public StreamingChatModel guard(StreamingChatModel model) {
    return new GuardedStreamingChatModel(Objects.requireNonNull(model, "model"), this);
  }

  /**
   * Reserves the estimate of {@code request} as a model with {@code defaults} sends it (its
   * parameters over the defaults) for a call with {@code attributes}.
   *
   * @throws BudgetExceededException if a hard budget would be passed; nothing is reserved then
   */
  AdmittedCall admit(ChatRequest request, ChatRequestParameters defaults, Map<Object, Object> attributes) {
    String model;
    ChatRequestEstimator.Estimate estimate;
    if (estimator instanceof CharacterEstimator heuristic) {
      // what it reads of the defaults, without building the merged request (a quarter of the guard's time)
      model = defaults == null || request.modelName() != null ? request.modelName() : defaults.modelName();
      estimate = heuristic.estimate(request, defaults);
    } else {
      ChatRequest merged = merged(request, defaults);
      model = merged.modelName();
      estimate = estimator.estimate(merged);
    }
    TokenUsageEvent event = ChatUsageEvents.estimate(model, estimate.inputTokens(), estimate.outputTokens(),
        attributes, clock.now());
    Reservation reservation = tracker.reserve(event);
    return new AdmittedCall(tracker, reservation, model, attributes, clock, onTracked);
  }

  /** {@code request} as the model sends it: its parameters over the model's defaults. */
  static ChatRequest merged(ChatRequest request, ChatRequestParameters defaults) {
    if (defaults == null) {
      return request;
    }
    return ChatRequest.builder().messages(request.messages()).parameters(defaults.overrideWith(request.parameters()))
        .build();
  }

  /** The attributes of {@code options}, never null. */
  static Map<Object, Object> attributes(ChatRequestOptions options) {
    return options == null || options.listenerAttributes() == null ? Map.of() : options.listenerAttributes();
  }

  /** {@code options} with the {@link #GUARDED} mark, so a tokenwatch listener leaves the call to the admission. */
  static ChatRequestOptions marked(Map<Object, Object> attributes) {
    if (attributes.isEmpty()) {
      return MARKED_ONLY; // LangChain4j copies the attributes into a map of the call's own
    }
    Map<Object, Object> marked = new HashMap<>(attributes);
    marked.put(GUARDED, Boolean.TRUE);
    return ChatRequestOptions.builder().listenerAttributes(marked).build();
  }

  @Override
  public String toString() {
    return "TokenwatchAdmission[" + estimator + "]";
  }

  /** Builds a {@link TokenwatchAdmission}. */
  public static final class Builder {
    private final TokenTracker tracker;
    private ChatRequestEstimator estimator = ChatRequestEstimator.heuristic();
    private Clock clock = Clock.system();
    private BiConsumer<TokenUsageEvent, TrackResult> onTracked = (event, result) -> {};

    private Builder(TokenTracker tracker) {
      this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    /** How a request's tokens are estimated; {@link ChatRequestEstimator#heuristic()} by default. */
    public Builder estimator(ChatRequestEstimator value) {
      this.estimator = Objects.requireNonNull(value, "estimator");
      return this;
    }

    /** The clock that stamps each event (when its response arrived); defaults to the system's. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Called after each committed event with its result; a failing callback is logged and skipped. */
    public Builder onTracked(BiConsumer<TokenUsageEvent, TrackResult> value) {
      this.onTracked = Objects.requireNonNull(value, "onTracked");
      return this;
    }

    public TokenwatchAdmission build() {
      return new TokenwatchAdmission(this);
    }
  }
}
