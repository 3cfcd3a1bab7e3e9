package dev.tokenwatch.integration.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.testing.CapturedLog;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/** Responses handed to the listener as a chat model hands them: without usage, and with a failing callback. */
class ListenerEdgeCasesTest {

  private static final String LOGGER = TokenwatchChatModelListener.class.getName();

  private final TokenTracker tracker = TokenTracker.create(TokenBudget.of(1_000_000, BudgetPeriod.MONTHLY), a -> {});
  private final ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Capital of France?")).build();

  private ChatModelResponseContext context(TokenUsage usage) {
    ChatResponse response = ChatResponse.builder().aiMessage(AiMessage.from("Paris.")).id("resp-7")
        .modelName("mistral-large-2411").tokenUsage(usage).build();
    return new ChatModelResponseContext(response, request, ModelProvider.MISTRAL_AI, new ConcurrentHashMap<>());
  }

  @Test
  void aResponseWithoutUsageIsNotTrackedAndSaysSo() {
    try (CapturedLog log = CapturedLog.attachTo(LOGGER)) {
      TokenwatchChatModelListener.of(tracker).onResponse(context(null));

      assertThat(log.at(Level.WARN)).singleElement().satisfies(entry ->
          assertThat(entry.message()).contains("resp-7", "mistral-large-2411", "no token usage"));
    }
    assertThat(tracker.getPeriodCounts().calls()).isZero();
  }

  @Test
  void aFailingCallbackIsLoggedAndTheUsageStaysTracked() {
    TokenwatchChatModelListener listener = TokenwatchChatModelListener.builder(tracker)
        .onTracked((event, result) -> {
          throw new IllegalStateException("meter registry closed");
        })
        .build();

    try (CapturedLog log = CapturedLog.attachTo(LOGGER)) {
      listener.onResponse(context(new TokenUsage(700, 80)));

      assertThat(log.at(Level.WARN)).singleElement().satisfies(entry -> {
        assertThat(entry.message()).contains("onTracked callback failed for response resp-7");
        assertThat(entry.thrown()).contains("meter registry closed");
      });
    }
    assertThat(tracker.getPeriodCounts().totalTokens()).isEqualTo(780);
  }

  @Test
  void aTotalLargerThanThePartsIsKept() {
    TokenwatchChatModelListener.of(tracker).onResponse(context(new TokenUsage(700, 80, 800)));

    assertThat(tracker.getHistory()).singleElement().satisfies(event -> {
      assertThat(event.inputTokens()).isEqualTo(700);
      assertThat(event.outputTokens()).isEqualTo(80);
      assertThat(event.totalTokens()).isEqualTo(800);
    });
  }
}
