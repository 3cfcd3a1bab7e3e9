package dev.tokenwatch.integration.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.util.List;

/** {@link ChatRequestEstimator#heuristic(int, int)}: characters per token, and the output bound. */
final class CharacterEstimator implements ChatRequestEstimator {

  private final int charactersPerToken;
  private final int defaultOutputTokens;

  CharacterEstimator(int charactersPerToken, int defaultOutputTokens) {
    if (charactersPerToken < 1) {
      throw new IllegalArgumentException("charactersPerToken must be at least 1, got " + charactersPerToken);
    }
    if (defaultOutputTokens < 0) {
      throw new IllegalArgumentException("defaultOutputTokens must not be negative, got " + defaultOutputTokens);
    }
    this.charactersPerToken = charactersPerToken;
    this.defaultOutputTokens = defaultOutputTokens;
  }

  @Override
  public Estimate estimate(ChatRequest request) {
    return estimate(request.messages(), request.toolSpecifications(), request.maxOutputTokens());
  }

  /**
   * The estimate of {@code request} as a model with {@code defaults} (may be null) sends it, reading
   * from the defaults only what the request leaves unset (as {@code ChatRequestParameters.overrideWith}
   * merges them: a value unless null, a list unless empty) instead of building the merged request.
   */
  Estimate estimate(ChatRequest request, ChatRequestParameters defaults) {
    List<ToolSpecification> tools = request.toolSpecifications();
    Integer max = request.maxOutputTokens();
    if (defaults != null) {
      if (tools == null || tools.isEmpty()) {
        tools = defaults.toolSpecifications();
      }
      if (max == null) {
        max = defaults.maxOutputTokens();
      }
    }
    return estimate(request.messages(), tools, max);
  }

  private Estimate estimate(List<ChatMessage> messages, List<ToolSpecification> tools, Integer max) {
    long characters = 0;
    for (ChatMessage message : messages) {
      characters += characters(message);
    }
    if (tools != null) {
      for (ToolSpecification tool : tools) {
        characters += length(tool.name()) + length(tool.description());
      }
    }
    long output = max != null && max > 0 ? max : defaultOutputTokens;
    return new Estimate((characters + charactersPerToken - 1) / charactersPerToken, output);
  }

  private static long characters(ChatMessage message) {
    if (message instanceof UserMessage user) {
      return texts(user.contents());
    }
    if (message instanceof SystemMessage system) {
      return length(system.text());
    }
    if (message instanceof AiMessage ai) {
      long sum = length(ai.text());
      if (ai.hasToolExecutionRequests()) {
        for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
          sum += length(call.name()) + length(call.arguments());
        }
      }
      return sum;
    }
    if (message instanceof ToolExecutionResultMessage result) {
      return texts(result.contents());
    }
    return 0; // a custom message: its provider alone knows what it sends
  }

  private static long texts(List<Content> contents) {
    long sum = 0;
    for (Content content : contents) {
      if (content instanceof TextContent text) {
        sum += length(text.text());
      }
    }
    return sum;
  }

  private static long length(String text) {
    return text == null ? 0 : text.length();
  }

  @Override
  public String toString() {
    return "heuristic[" + charactersPerToken + " characters per token, " + defaultOutputTokens
        + " output tokens unless maxOutputTokens]";
  }
}
