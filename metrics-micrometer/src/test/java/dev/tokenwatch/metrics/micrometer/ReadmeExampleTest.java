package dev.tokenwatch.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.readme.ReadmeSnippets;
import dev.tokenwatch.integration.langchain4j.TokenwatchChatModelListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The README's Micrometer example, run, and equal to the README's text. */
class ReadmeExampleTest {

  @Test
  void theReadmeExampleMeasuresBothWays() {
    TokenTracker tracker = TokenTracker.create(TokenBudget.of(1_000_000, BudgetPeriod.MONTHLY), alert -> {});
    MeterRegistry registry = new SimpleMeterRegistry();

    // --- README: Micrometer ---
    TokenwatchMetrics metrics = TokenwatchMetrics.of(tracker);
    metrics.bindTo(registry);                          // any MeterRegistry: Prometheus, OTLP, ...
    metrics.track(TokenUsageEvent.builder("gpt-4o")    // instead of tracker.track(event)
        .inputTokens(1_200).outputTokens(300).timestamp(Instant.now()).build());

    // or let the LangChain4j listener report what it tracks
    ChatModelListener listener = TokenwatchChatModelListener.builder(tracker)
        .onTracked(metrics::record)
        .build();
    // --- end ---

    // a response as a chat model hands it to its listeners
    listener.onResponse(new ChatModelResponseContext(
        ChatResponse.builder().aiMessage(AiMessage.from("Paris.")).id("resp-1").modelName("gpt-4o")
            .tokenUsage(new TokenUsage(800, 200)).build(),
        ChatRequest.builder().messages(UserMessage.from("Capital of France?")).build(),
        ModelProvider.OPEN_AI, new ConcurrentHashMap<>()));

    assertThat(registry.get(TokenwatchMetrics.TOKEN_USAGE).tag(TokenwatchMetrics.TOKEN_TYPE_TAG, "input")
        .tag(TokenwatchMetrics.MODEL_TAG, "gpt-4o").summary().totalAmount()).isEqualTo(2000);
    assertThat(registry.get(TokenwatchMetrics.BUDGET_USED).tag(TokenwatchMetrics.BUDGET_TAG, "default").gauge()
        .value()).isEqualTo(2500);
  }

  @Test
  void theReadmeShowsThisCode() {
    ReadmeSnippets.assertReadmeShowsSection("Micrometer",
        Path.of("src/test/java/dev/tokenwatch/metrics/micrometer/ReadmeExampleTest.java"));
  }
}
