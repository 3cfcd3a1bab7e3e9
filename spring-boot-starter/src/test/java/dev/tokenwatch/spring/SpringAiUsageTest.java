package dev.tokenwatch.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * How Spring AI's usage becomes an event's parts, on Spring AI's own usage objects as its OpenAI
 * and Anthropic models build them (the OpenAI side runs end to end in the application test).
 */
class SpringAiUsageTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void anthropicsInputTokensExcludeTheCacheSoTheyStayWhole() throws Exception {
    // Anthropic's usage object as its API sends it; Spring AI's AnthropicChatModel passes input_tokens as
    // prompt tokens and input + output as the total
    // (input_tokens above the cache tokens, so OpenAI's reading would take them out)
    com.anthropic.models.messages.Usage wire = ObjectMappers.jsonMapper().readValue("{\"input_tokens\":9000,"
        + "\"output_tokens\":400,\"cache_creation_input_tokens\":500,\"cache_read_input_tokens\":8000}",
        com.anthropic.models.messages.Usage.class);
    DefaultUsage usage = new DefaultUsage(9000, 400, 9400, wire, 8000L, 500L);

    TokenUsageEvent event = SpringAiUsage.event(usage, "msg_01", "claude-sonnet-4-5", null, NOW).build();

    assertThat(event.inputTokens()).isEqualTo(9000);
    assertThat(event.cacheReadTokens()).isEqualTo(8000);
    assertThat(event.cacheCreationTokens()).isEqualTo(500);
    assertThat(event.outputTokens()).isEqualTo(400);
    assertThat(event.totalTokens()).isEqualTo(17_900);
  }

  @Test
  void summedAnthropicRoundsWithoutANativeObjectAreToldByTheRequestOptions() {
    // Spring AI drops the native object when it sums rounds; 6000 > 5000 would pass for OpenAI's shape
    DefaultUsage summed = new DefaultUsage(6000, 100, 6100, null, 5000L, null);
    Prompt anthropic = new Prompt("hi", AnthropicChatOptions.builder().model("claude-sonnet-4-5").build());

    TokenUsageEvent event = SpringAiUsage.event(summed, null, null, anthropic, NOW).build();

    assertThat(event.inputTokens()).isEqualTo(6000);
    assertThat(event.cacheReadTokens()).isEqualTo(5000);
    assertThat(event.totalTokens()).isEqualTo(11_100);
    assertThat(event.model()).as("the requested model when the response names none").isEqualTo("claude-sonnet-4-5");
    assertThat(event.requestId()).isNull();
  }

  @Test
  void otherProvidersPromptTokensHoldTheCachedOnes() {
    DefaultUsage usage = new DefaultUsage(1200, 300, 1500, null, 1000L, null);
    Prompt prompt = new Prompt("hi", ChatOptions.builder().model("gpt-4o").build());

    TokenUsageEvent event = SpringAiUsage.event(usage, "chatcmpl-9", "gpt-4o-2024-08-06", prompt, NOW).build();

    assertThat(event.inputTokens()).isEqualTo(200);
    assertThat(event.cacheReadTokens()).isEqualTo(1000);
    assertThat(event.totalTokens()).isEqualTo(1500);
    assertThat(event.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(event.requestId()).isEqualTo("chatcmpl-9");
  }

  @Test
  void aModelNamedNowhereIsUnknown() {
    assertThat(SpringAiUsage.event(new DefaultUsage(1, 2), null, " ", new Prompt("hi"), NOW).build().model())
        .isEqualTo(SpringAiUsage.UNKNOWN_MODEL);
  }

  @Test
  void aStreamsChunksBeforeTheLastCarryNoUsage() {
    assertThat(SpringAiUsage.hasUsage(response(new EmptyUsage()))).isFalse();
    assertThat(SpringAiUsage.hasUsage(response(new DefaultUsage(0, 0, 0)))).isFalse();
    assertThat(SpringAiUsage.hasUsage(response(new DefaultUsage(10, 2)))).isTrue();
    assertThat(SpringAiUsage.hasUsage(null)).isFalse();
  }

  private static ChatResponse response(org.springframework.ai.chat.metadata.Usage usage) {
    return new ChatResponse(List.of(new Generation(new AssistantMessage("x"))),
        ChatResponseMetadata.builder().usage(usage).build());
  }
}
