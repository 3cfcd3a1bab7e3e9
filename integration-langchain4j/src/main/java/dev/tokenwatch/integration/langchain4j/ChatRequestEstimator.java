package dev.tokenwatch.integration.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequest;

/**
 * Estimates the tokens of a chat request before it is sent, for {@link TokenwatchAdmission} to
 * reserve. The request it is given carries the model's default parameters merged in (as the model
 * itself sends it), so {@link ChatRequest#modelName()} and {@link ChatRequest#maxOutputTokens()} are
 * the ones the provider sees.
 */
@FunctionalInterface
public interface ChatRequestEstimator {

  /** Output tokens reserved for a request that sets no {@code maxOutputTokens}. */
  int DEFAULT_OUTPUT_TOKENS = 1024;

  /** Characters of English text per token in the providers' tokenizers, by their rule of thumb. */
  int CHARACTERS_PER_TOKEN = 4;

  /** The estimated input and output tokens of {@code request}. */
  Estimate estimate(ChatRequest request);

  /**
   * The default heuristic: input is the characters of the messages' texts (and of the tools' names,
   * descriptions and call arguments) divided by {@value #CHARACTERS_PER_TOKEN}, rounded up; output is
   * the request's {@code maxOutputTokens}, the most the provider will produce, else {@value
   * #DEFAULT_OUTPUT_TOKENS}. Images, audio and files are not counted.
   */
  static ChatRequestEstimator heuristic() {
    return heuristic(CHARACTERS_PER_TOKEN, DEFAULT_OUTPUT_TOKENS);
  }

  /**
   * The heuristic of {@link #heuristic()} with {@code charactersPerToken} (say 2 for text in
   * languages that tokenize densely, such as Chinese) and {@code defaultOutputTokens} for requests
   * without {@code maxOutputTokens}.
   */
  static ChatRequestEstimator heuristic(int charactersPerToken, int defaultOutputTokens) {
    return new CharacterEstimator(charactersPerToken, defaultOutputTokens);
  }

  /**
   * Estimated token counts of one request.
   *
   * @param inputTokens tokens sent (prompt, history, tools)
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
