package dev.tokenwatch.domain.port;

import java.util.Objects;

/**
 * Totals of one model in one period of one budget.
 *
 * @param model the model
 * @param inputTokens sum of input tokens
 * @param outputTokens sum of output tokens
 * @param cacheCreationTokens sum of cache-creation tokens
 * @param cacheReadTokens sum of cache-read tokens
 * @param totalTokens sum of total tokens (what the budget counts)
 * @param calls number of distinct events
 */
public record ModelTotals(
    String model,
    long inputTokens,
    long outputTokens,
    long cacheCreationTokens,
    long cacheReadTokens,
    long totalTokens,
    long calls) {

  public ModelTotals {
    Objects.requireNonNull(model, "model");
  }
}
