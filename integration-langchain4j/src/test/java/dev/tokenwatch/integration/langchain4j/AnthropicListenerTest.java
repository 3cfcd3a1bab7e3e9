package dev.tokenwatch.integration.langchain4j;

import static dev.tokenwatch.integration.langchain4j.LoopbackProvider.Reply.events;
import static dev.tokenwatch.integration.langchain4j.LoopbackProvider.Reply.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.Counts;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The listener on a real AnthropicChatModel / AnthropicStreamingChatModel talking to a loopback Messages API. */
class AnthropicListenerTest {

  private LoopbackProvider api;
  private TokenTracker tracker;
  private Tracked tracked;

  @BeforeEach
  void setUp() throws IOException {
    api = LoopbackProvider.start("/v1/messages");
    tracker = TokenTracker.create(TokenBudget.of(10_000_000, BudgetPeriod.MONTHLY), alert -> {});
    tracked = new Tracked();
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  @Test
  void cacheWritesAndReadsAreCountedBesideTheInput() {
    api.enqueue(json(ProviderBodies.anthropicMessage("msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-5-20250929",
            12, 2048, 0, 6)),
        json(ProviderBodies.anthropicMessage("msg_01Y7pXvB1c9QmWw4kq2hLz3R", "claude-sonnet-4-5-20250929",
            15, 0, 2048, 9)));
    ChatModel model = AnthropicChatModel.builder()
        .baseUrl(api.baseUrl()).apiKey("sk-ant-test").modelName("claude-sonnet-4-5").maxRetries(0)
        .timeout(Duration.ofSeconds(5))
        .listeners(List.of(TokenwatchChatModelListener.builder(tracker).onTracked(tracked).build()))
        .build();

    model.chat(UserMessage.from("Capital of France?"));
    model.chat(UserMessage.from("And of Italy?"));

    TokenUsageEvent written = tracked.calls().get(0).event();
    assertThat(written.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(written.requestId()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
    assertThat(written.inputTokens()).isEqualTo(12);
    assertThat(written.cacheCreationTokens()).isEqualTo(2048);
    assertThat(written.cacheReadTokens()).isZero();
    assertThat(written.outputTokens()).isEqualTo(6);
    assertThat(written.totalTokens()).as("Anthropic's total leaves the cache out; ours does not").isEqualTo(2066);
    TokenUsageEvent read = tracked.calls().get(1).event();
    assertThat(read.inputTokens()).isEqualTo(15);
    assertThat(read.cacheReadTokens()).isEqualTo(2048);
    assertThat(read.totalTokens()).isEqualTo(2072);
    Counts period = tracker.getPeriodCounts();
    assertThat(period.calls()).isEqualTo(2);
    assertThat(period.inputTokens()).isEqualTo(27);
    assertThat(period.cacheCreationTokens()).isEqualTo(2048);
    assertThat(period.cacheReadTokens()).isEqualTo(2048);
    assertThat(period.outputTokens()).isEqualTo(15);
    assertThat(period.totalTokens()).isEqualTo(4138);
  }

  @Test
  void aStreamedMessageIsChargedOnceWithItsFinalOutputCount() throws Exception {
    api.enqueue(events(ProviderBodies.anthropicStream("msg_01Stream9QmWw4kq2hLz3Rx", "claude-haiku-4-5-20251001",
        25, 0, 1800, 15)));
    AnthropicStreamingChatModel model = AnthropicStreamingChatModel.builder()
        .baseUrl(api.baseUrl()).apiKey("sk-ant-test").modelName("claude-haiku-4-5").timeout(Duration.ofSeconds(5))
        .listeners(List.of(TokenwatchChatModelListener.builder(tracker).onTracked(tracked).build()))
        .build();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    model.chat(ChatRequest.builder().messages(UserMessage.from("Capital of France?")).build(),
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String partial) {}

          @Override
          public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
          }

          @Override
          public void onError(Throwable error) {
            done.completeExceptionally(error);
          }
        });

    assertThat(done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("Paris.");
    tracked.await(1, Duration.ofSeconds(10));
    TokenUsageEvent event = tracked.only();
    assertThat(event.model()).isEqualTo("claude-haiku-4-5-20251001");
    assertThat(event.requestId()).isEqualTo("msg_01Stream9QmWw4kq2hLz3Rx");
    assertThat(event.inputTokens()).isEqualTo(25);
    assertThat(event.cacheReadTokens()).isEqualTo(1800);
    assertThat(event.outputTokens()).isEqualTo(15);
    assertThat(event.totalTokens()).isEqualTo(1840);
    assertThat(tracker.getPeriodCounts().calls()).isEqualTo(1);
  }
}
