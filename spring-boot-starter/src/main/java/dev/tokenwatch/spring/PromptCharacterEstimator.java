package dev.tokenwatch.spring;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/** {@link PromptEstimator#heuristic(int, int)}: characters per token, and the output bound. */
final class PromptCharacterEstimator implements PromptEstimator {

  private final int charactersPerToken;
  private final int defaultOutputTokens;

  PromptCharacterEstimator(int charactersPerToken, int defaultOutputTokens) {
    if (charactersPerToken < 1) {
      throw new IllegalArgumentException("characters-per-token must be at least 1, got " + charactersPerToken);
    }
    if (defaultOutputTokens < 0) {
      throw new IllegalArgumentException("default-output-tokens must not be negative, got " + defaultOutputTokens);
    }
    this.charactersPerToken = charactersPerToken;
    this.defaultOutputTokens = defaultOutputTokens;
  }

  @Override
  public Estimate estimate(Prompt prompt) {
    long characters = 0;
    for (Message message : prompt.getInstructions()) {
      characters += length(message.getText());
      if (message instanceof AssistantMessage assistant && assistant.hasToolCalls()) {
        for (AssistantMessage.ToolCall call : assistant.getToolCalls()) {
          characters += length(call.name()) + length(call.arguments());
        }
      } else if (message instanceof ToolResponseMessage tool) {
        for (ToolResponseMessage.ToolResponse response : tool.getResponses()) {
          characters += length(response.responseData());
        }
      }
    }
    ChatOptions options = prompt.getOptions();
    Integer max = options == null ? null : options.getMaxTokens();
    long output = max != null && max > 0 ? max : defaultOutputTokens;
    return new Estimate((characters + charactersPerToken - 1) / charactersPerToken, output);
  }

  private static long length(String text) {
    return text == null ? 0 : text.length();
  }

  @Override
  public String toString() {
    return "heuristic[" + charactersPerToken + " characters per token, " + defaultOutputTokens
        + " output tokens unless maxTokens]";
  }
}
