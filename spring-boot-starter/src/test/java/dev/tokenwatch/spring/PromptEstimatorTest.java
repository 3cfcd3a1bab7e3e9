package dev.tokenwatch.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/** The default estimate: characters of every text the prompt sends / 4, rounded up; output bounded. */
class PromptEstimatorTest {

  private final PromptEstimator heuristic = PromptEstimator.heuristic(4, 1024);

  @Test
  void everyTextOfTheConversationCountsAndTheOutputIsTheOptionsMaximum() {
    Prompt prompt = new Prompt(List.of(
        new SystemMessage("Be brief."),                                                        // 9
        new UserMessage("What is the weather"),                                                // 19
        AssistantMessage.builder().content("").toolCalls(List.of(new AssistantMessage.ToolCall(
            "call_1", "function", "weather", "{\"city\":\"Berlin\"}"))).build(),              // 7 + 17
        ToolResponseMessage.builder().responses(List.of(
            new ToolResponseMessage.ToolResponse("call_1", "weather", "7 degrees"))).build()), // 9
        ChatOptions.builder().maxTokens(300).build());

    assertThat(heuristic.estimate(prompt)).isEqualTo(new PromptEstimator.Estimate((61 + 3) / 4, 300));
  }

  @Test
  void withoutAMaximumTheConfiguredOutputIsReserved() {
    assertThat(heuristic.estimate(new Prompt("Capital of France?"))).isEqualTo(new PromptEstimator.Estimate(5, 1024));
    assertThat(PromptEstimator.heuristic(2, 64).estimate(new Prompt("Capital of France?")))
        .isEqualTo(new PromptEstimator.Estimate(9, 64));
  }
}
