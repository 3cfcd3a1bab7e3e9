package dev.tokenwatch.spring;

import org.springframework.ai.chat.prompt.Prompt;

/**
 * Estimates the tokens of a Spring AI prompt before it is sent, for the enforcing mode of {@link
 * TokenwatchAdvisor} ({@code tokenwatch.admission.enabled=true}) to reserve. A bean of this type
 * replaces the default heuristic.
 */
@FunctionalInterface
public interface PromptEstimator {

  /** The estimated input and output tokens of {@code prompt}. */
  Estimate estimate(Prompt prompt);

  /**
   * The default heuristic: input is the characters of the messages' texts (with tool calls'
   * arguments and tool results) divided by {@code charactersPerToken} (4 for English text by the
   * providers' rule of thumb), rounded up; output is the options' {@code maxTokens}, the most the
   * provider will produce, else {@code defaultOutputTokens}. Media are not counted.
   */
  static PromptEstimator heuristic(int charactersPerToken, int defaultOutputTokens) {
    return new PromptCharacterEstimator(charactersPerToken, defaultOutputTokens);
  }

  /**
   * Estimated token counts of one prompt.
   *
   * @param inputTokens tokens sent (instructions, history, tool results)
   * @param outputTokens tokens the answer may take
   */
  record Estimate(long inputTokens, long outputTokens) {
    public Estimate {
      if (inputTokens < 0 || outputTokens < 0) {
        throw new IllegalArgumentException("an estimate's tokens must not be negative, got input " + inputTokens
            + " and output " + outputTokens);
      }
    }
  }
}
