package dev.tokenwatch.spring;

import dev.tokenwatch.domain.BudgetExceededException;
import dev.tokenwatch.domain.Reservation;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.core.Ordered;
import reactor.core.publisher.Flux;

/**
 * Tracks the token usage of every model call of a {@code ChatClient} with a {@link TokenTracker}:
 * the response's prompt, completion and cache tokens, its id as the request id (so a retried
 * record is counted once) and its model (else the requested one). A streamed call is tracked when
 * the stream completes, with the usage of its last chunk that has one. Ordered just before the
 * model, so each round of a tool-calling loop is tracked on its own.
 *
 * <p>Tracking never breaks the call: a failing tracker, or a response without usage, is logged and
 * the response goes on unchanged.
 *
 * <p>A call's project and session can be set per request through the advisor context: {@code
 * chatClient.prompt(...).advisors(a -> a.param(TokenwatchAdvisor.SESSION, "conversation-42"))}.
 *
 * <p>With a {@link PromptEstimator} (the enforcing mode, {@code tokenwatch.admission.enabled=true};
 * off by default), each call first reserves its estimate with {@link TokenTracker#reserve}: a call
 * that would pass a hard budget is refused with {@link BudgetExceededException} and the model is not
 * called; the reservation is committed with the response's usage, or released if the call fails, a
 * stream is cancelled or a response carries no usage. If the tracker cannot reserve (its store
 * fails), the call fails: enforcing means no call goes unchecked.
 */
public final class TokenwatchAdvisor implements CallAdvisor, StreamAdvisor {

  /** Advisor context key of the project a call is recorded for (overrides the configured one). */
  public static final String PROJECT = "tokenwatch.project";

  /** Advisor context key of the session a call belongs to. */
  public static final String SESSION = "tokenwatch.session";

  /** Just before Spring AI's own last advisor, the one calling the model. */
  public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

  private static final Logger LOG = LogManager.getLogger(TokenwatchAdvisor.class);

  private final TokenTracker tracker;
  private final String project;
  private final Map<String, String> tags;
  private final PromptEstimator admission;

  /**
   * An advisor that tracks, and refuses nothing.
   *
   * @param tracker tracks each call
   * @param project the project calls are recorded for; {@code null} for none
   * @param tags tags every call carries (checked here, so bad ones fail at startup)
   */
  public TokenwatchAdvisor(TokenTracker tracker, String project, Map<String, String> tags) {
    this(tracker, project, tags, null);
  }

  /**
   * An advisor that tracks and, given {@code admission}, reserves before each call.
   *
   * @param admission estimates each prompt for the reservation; {@code null} to reserve nothing
   */
  public TokenwatchAdvisor(TokenTracker tracker, String project, Map<String, String> tags,
      PromptEstimator admission) {
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.project = project;
    this.tags = new TreeMap<>(tags);
    this.tags.forEach(TokenUsageEvent::requireValidTag);
    this.admission = admission;
  }

  @Override
  public String getName() {
    return "tokenwatch";
  }

  @Override
  public int getOrder() {
    return DEFAULT_ORDER;
  }

  @Override
  public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
    Reservation reservation = reserve(request);
    ChatClientResponse response;
    try {
      response = chain.nextCall(request);
    } catch (RuntimeException | Error e) {
      release(reservation);
      throw e;
    }
    ChatResponse chat = response.chatResponse();
    if (!SpringAiUsage.hasUsage(chat)) {
      LOG.warn("ChatClient response without token usage; call not tracked (model {})", modelOf(chat, request));
      release(reservation);
      return response;
    }
    ChatResponseMetadata metadata = chat.getMetadata();
    track(request, metadata.getUsage(), metadata.getId(), metadata.getModel(), reservation);
    return response;
  }

  @Override
  public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
    return Flux.defer(() -> {
      Reservation reservation = reserve(request); // a refusal is the stream's error; nothing is sent
      AtomicReference<Usage> usage = new AtomicReference<>();
      AtomicReference<String> id = new AtomicReference<>();
      AtomicReference<String> model = new AtomicReference<>();
      return chain.nextStream(request).doOnNext(response -> {
        ChatResponse chat = response.chatResponse();
        if (chat == null) {
          return;
        }
        ChatResponseMetadata metadata = chat.getMetadata();
        if (SpringAiUsage.hasUsage(chat)) {
          usage.set(metadata.getUsage());
        }
        if (metadata.getId() != null && !metadata.getId().isBlank()) {
          id.set(metadata.getId());
        }
        if (metadata.getModel() != null && !metadata.getModel().isBlank()) {
          model.set(metadata.getModel());
        }
      }).doOnComplete(() -> {
        if (usage.get() == null) {
          LOG.warn("ChatClient stream completed without token usage; call not tracked (model {}, id {})",
              model.get(), id.get());
          release(reservation);
        } else {
          track(request, usage.get(), id.get(), model.get(), reservation);
        }
      }).doOnError(error -> release(reservation)).doOnCancel(() -> {
        LOG.warn("ChatClient stream cancelled before its usage arrived; call not tracked (model {}, id {})",
            model.get(), id.get());
        release(reservation);
      });
    });
  }

  /** The reservation of the call's estimate; null when admission is off. */
  private Reservation reserve(ChatClientRequest request) {
    if (admission == null) {
      return null;
    }
    Prompt prompt = request.prompt();
    PromptEstimator.Estimate estimate = admission.estimate(prompt);
    ChatOptions options = prompt.getOptions();
    String model = options == null ? null : options.getModel();
    return tracker.reserve(labelled(TokenUsageEvent.builder(model == null || model.isBlank()
        ? SpringAiUsage.UNKNOWN_MODEL : model), request)
        .inputTokens(estimate.inputTokens()).outputTokens(estimate.outputTokens()).timestamp(Instant.now()).build());
  }

  private static void release(Reservation reservation) {
    if (reservation == null) {
      return;
    }
    try {
      reservation.close(); // releases unless settled
    } catch (RuntimeException e) {
      LOG.warn("Could not release tokenwatch reservation {}; it expires at {}: {}", reservation.id(),
          reservation.expiresAt(), e.toString(), e);
    }
  }

  /** {@code builder} with the call's project, session and tags. */
  private TokenUsageEvent.Builder labelled(TokenUsageEvent.Builder builder, ChatClientRequest request) {
    return builder.project(text(request.context().get(PROJECT), project))
        .session(text(request.context().get(SESSION), null))
        .tags(tags);
  }

  private void track(ChatClientRequest request, Usage usage, String id, String model, Reservation reservation) {
    try {
      TokenUsageEvent event = labelled(SpringAiUsage.event(usage, id, model, request.prompt(), Instant.now()), request)
          .build();
      if (reservation == null) {
        tracker.track(event);
      } else {
        reservation.commit(event);
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not track a ChatClient call (model {}, id {}); the call goes on: {}", model, id,
          e.toString(), e);
      release(reservation); // if the event could not be built; a failed commit has settled it
    }
  }

  private static String modelOf(ChatResponse chat, ChatClientRequest request) {
    if (chat != null && chat.getMetadata().getModel() != null) {
      return chat.getMetadata().getModel();
    }
    return request.prompt().getOptions() == null ? null : request.prompt().getOptions().getModel();
  }

  private static String text(Object value, String fallback) {
    return value == null ? fallback : value.toString();
  }

  @Override
  public String toString() {
    return "TokenwatchAdvisor[" + tracker.budgets().size() + " budgets, project=" + project + ", tags=" + tags
        + ", admission=" + (admission == null ? "off" : admission) + "]";
  }
}
