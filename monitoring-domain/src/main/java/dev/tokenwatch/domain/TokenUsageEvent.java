package dev.tokenwatch.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The token usage of one LLM call, attributed to a model.
 *
 * <p>The budget counts {@link #totalTokens()}. The total may exceed the sum of the parts (some
 * providers count tokens that none of the parts name) but never fall below it. Build one with
 * {@link #builder(String)}; the canonical constructor validates every field.
 *
 * @param model the model that served the call; not blank, at most 200 characters
 * @param inputTokens prompt tokens not read from or written to a cache
 * @param outputTokens completion tokens
 * @param cacheCreationTokens prompt tokens written to a prompt cache
 * @param cacheReadTokens prompt tokens read from a prompt cache
 * @param totalTokens the tokens the budget is charged; at least the sum of the four parts
 * @param timestamp when the call happened; the event is charged to the period containing it
 * @param requestId an id that identifies the call, used to drop duplicates; {@code null} if none
 */
public record TokenUsageEvent(
    String model,
    long inputTokens,
    long outputTokens,
    long cacheCreationTokens,
    long cacheReadTokens,
    long totalTokens,
    Instant timestamp,
    String requestId) {

  /** Longest model name accepted. */
  public static final int MAX_MODEL_LENGTH = 200;

  /** Longest request id accepted. */
  public static final int MAX_REQUEST_ID_LENGTH = 500;

  public TokenUsageEvent {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank, got " + quote(model));
    }
    if (model.length() > MAX_MODEL_LENGTH) {
      throw new IllegalArgumentException(
          "model must be at most " + MAX_MODEL_LENGTH + " characters, got " + model.length());
    }
    requireNonNegative("inputTokens", inputTokens);
    requireNonNegative("outputTokens", outputTokens);
    requireNonNegative("cacheCreationTokens", cacheCreationTokens);
    requireNonNegative("cacheReadTokens", cacheReadTokens);
    requireNonNegative("totalTokens", totalTokens);
    long sum = sumOfParts(inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens);
    if (totalTokens < sum) {
      throw new IllegalArgumentException(
          "totalTokens must be at least the sum of the parts (" + sum + "), got " + totalTokens);
    }
    Objects.requireNonNull(timestamp, "timestamp must not be null");
    if (requestId != null) {
      if (requestId.isBlank()) {
        throw new IllegalArgumentException("requestId must not be blank when given, got " + quote(requestId));
      }
      if (requestId.length() > MAX_REQUEST_ID_LENGTH) {
        throw new IllegalArgumentException(
            "requestId must be at most " + MAX_REQUEST_ID_LENGTH + " characters, got " + requestId.length());
      }
    }
  }

  /** The request id, if the event has one. */
  public Optional<String> optionalRequestId() {
    return Optional.ofNullable(requestId);
  }


  /** Starts a builder for an event of the given model. */
  public static Builder builder(String model) {
    return new Builder(model);
  }

  /**
   * Sum of the four parts.
   *
   * @throws IllegalArgumentException if the sum overflows a long
   */
  static long sumOfParts(long input, long output, long cacheCreation, long cacheRead) {
    try {
      return Math.addExact(Math.addExact(input, output), Math.addExact(cacheCreation, cacheRead));
    } catch (ArithmeticException overflow) {
      throw new IllegalArgumentException(
          "token counts overflow a long: inputTokens=" + input + ", outputTokens=" + output
              + ", cacheCreationTokens=" + cacheCreation + ", cacheReadTokens=" + cacheRead, overflow);
    }
  }

  private static void requireNonNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must not be negative, got " + value);
    }
  }

  private static String quote(String s) {
    return s == null ? "null" : '"' + s + '"';
  }

  /** Builds a {@link TokenUsageEvent}; without an explicit total, the total is the sum of the parts. */
  public static final class Builder {
    private final String model;
    private long inputTokens;
    private long outputTokens;
    private long cacheCreationTokens;
    private long cacheReadTokens;
    private Long totalTokens;
    private Instant timestamp;
    private String requestId;

    private Builder(String model) {
      this.model = model;
    }

    public Builder inputTokens(long value) {
      this.inputTokens = value;
      return this;
    }

    public Builder outputTokens(long value) {
      this.outputTokens = value;
      return this;
    }

    public Builder cacheCreationTokens(long value) {
      this.cacheCreationTokens = value;
      return this;
    }

    public Builder cacheReadTokens(long value) {
      this.cacheReadTokens = value;
      return this;
    }

    /** An explicit total; it must be at least the sum of the parts. */
    public Builder totalTokens(long value) {
      this.totalTokens = value;
      return this;
    }

    public Builder timestamp(Instant value) {
      this.timestamp = value;
      return this;
    }

    public Builder requestId(String value) {
      this.requestId = value;
      return this;
    }

    /** Builds the event; the timestamp is required. */
    public TokenUsageEvent build() {
      long total = totalTokens != null
          ? totalTokens
          : sumOfParts(inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens);
      return new TokenUsageEvent(model, inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens,
          total, timestamp, requestId);
    }
  }
}
