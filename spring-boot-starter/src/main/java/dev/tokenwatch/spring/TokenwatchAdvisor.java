package dev.tokenwatch.spring;

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

  /**
   * @param tracker tracks each call
   * @param project the project calls are recorded for; {@code null} for none
   * @param tags tags every call carries (checked here, so bad ones fail at startup)
   */
  public TokenwatchAdvisor(TokenTracker tracker, String project, Map<String, String> tags) {
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.project = project;
    this.tags = new TreeMap<>(tags);
    this.tags.forEach(TokenUsageEvent::requireValidTag);
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
    ChatClientResponse response = chain.nextCall(request);
    ChatResponse chat = response.chatResponse();
    if (!SpringAiUsage.hasUsage(chat)) {
      LOG.warn("ChatClient response without token usage; call not tracked (model {})", modelOf(chat, request));
      return response;
    }
    ChatResponseMetadata metadata = chat.getMetadata();
    track(request, metadata.getUsage(), metadata.getId(), metadata.getModel());
    return response;
  }

  @Override
  public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
    return Flux.defer(() -> {
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
        } else {
          track(request, usage.get(), id.get(), model.get());
        }
      }).doOnCancel(() -> LOG.warn("ChatClient stream cancelled before its usage arrived; call not tracked "
          + "(model {}, id {})", model.get(), id.get()));
    });
  }

  private void track(ChatClientRequest request, Usage usage, String id, String model) {
    try {
      TokenUsageEvent event = SpringAiUsage.event(usage, id, model, request.prompt(), Instant.now())
          .project(text(request.context().get(PROJECT), project))
          .session(text(request.context().get(SESSION), null))
          .tags(tags)
          .build();
      tracker.track(event);
    } catch (RuntimeException e) {
      LOG.warn("Could not track a ChatClient call (model {}, id {}); the call goes on: {}", model, id,
          e.toString(), e);
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
    return "TokenwatchAdvisor[" + tracker.budgets().size() + " budgets, project=" + project + ", tags=" + tags + "]";
  }
}
