package dev.tokenwatch.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

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
 * @param project the project the call was made for (a name or a directory); {@code null} if none
 * @param session the session (conversation, job) the call belongs to; {@code null} if none
 * @param tags free dimensions such as {@code team=search}: at most 8, keys {@code
 *     [a-z][a-z0-9_.-]{0,31}}, values of 1 to 128 characters without control characters; sorted by
 *     key and unmodifiable
 */
public record TokenUsageEvent(
    String model,
    long inputTokens,
    long outputTokens,
    long cacheCreationTokens,
    long cacheReadTokens,
    long totalTokens,
    Instant timestamp,
    String requestId,
    String project,
    String session,
    SortedMap<String, String> tags,
    long costNanoUsd) {

  /** The cost of an event whose cost is not known (not priced yet, or its model has no price). */
  public static final long NO_COST = -1;

  /** Longest model name accepted. */
  public static final int MAX_MODEL_LENGTH = 200;

  /** Longest request id accepted. */
  public static final int MAX_REQUEST_ID_LENGTH = 500;

  /** Longest project or session accepted. */
  public static final int MAX_DIMENSION_LENGTH = 500;

  /** Most tags an event may carry. */
  public static final int MAX_TAGS = 8;

  /** Longest tag value accepted. */
  public static final int MAX_TAG_VALUE_LENGTH = 128;

  /** What a tag key looks like. */
  public static final Pattern TAG_KEY = Pattern.compile("[a-z][a-z0-9_.-]{0,31}");

  private static final SortedMap<String, String> NO_TAGS = Collections.unmodifiableSortedMap(new TreeMap<>());

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
    requireDimension("project", project);
    requireDimension("session", session);
    tags = validTags(tags);
    if (costNanoUsd < NO_COST) {
      throw new IllegalArgumentException(
          "costNanoUsd must not be negative (or " + NO_COST + " for no cost), got " + costNanoUsd);
    }
  }

  /** An event whose cost is not known yet. */
  public TokenUsageEvent(String model, long inputTokens, long outputTokens, long cacheCreationTokens,
      long cacheReadTokens, long totalTokens, Instant timestamp, String requestId, String project, String session,
      SortedMap<String, String> tags) {
    this(model, inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens, totalTokens, timestamp,
        requestId, project, session, tags, NO_COST);
  }

  /** An event without project, session or tags. */
  public TokenUsageEvent(String model, long inputTokens, long outputTokens, long cacheCreationTokens,
      long cacheReadTokens, long totalTokens, Instant timestamp, String requestId) {
    this(model, inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens, totalTokens, timestamp,
        requestId, null, null, NO_TAGS, NO_COST);
  }

  /** This event with other dimensions (project, session, tags); the counts and ids stay. */
  public TokenUsageEvent withDimensions(String project, String session, Map<String, String> tags) {
    return new TokenUsageEvent(model, inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens,
        totalTokens, timestamp, requestId, project, session, tags == null ? NO_TAGS : new TreeMap<>(tags),
        costNanoUsd);
  }

  /** This event with the given cost in nano-dollars ({@link #NO_COST} for none); all else stays. */
  public TokenUsageEvent withCost(long nanoUsd) {
    return nanoUsd == costNanoUsd ? this : new TokenUsageEvent(model, inputTokens, outputTokens, cacheCreationTokens,
        cacheReadTokens, totalTokens, timestamp, requestId, project, session, tags, nanoUsd);
  }

  /** Whether the event's cost is known. */
  public boolean hasCost() {
    return costNanoUsd != NO_COST;
  }

  /**
   * Checks one tag (key and value) as an event's constructor does.
   *
   * @throws IllegalArgumentException naming the key and the value
   */
  public static void requireValidTag(String key, String value) {
    if (key == null || !TAG_KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "tag key must match [a-z][a-z0-9_.-]{0,31}, got " + quote(key));
    }
    if (value == null || value.isEmpty() || value.length() > MAX_TAG_VALUE_LENGTH) {
      throw new IllegalArgumentException("tag " + key + " must have a value of 1 to " + MAX_TAG_VALUE_LENGTH
          + " characters, got " + (value == null ? "null" : value.length() + " characters"));
    }
    if (hasControlCharacter(value)) {
      throw new IllegalArgumentException("tag " + key + " must not contain control characters, got "
          + quote(escapeControls(value)));
    }
  }

  private static SortedMap<String, String> validTags(SortedMap<String, String> tags) {
    if (tags == null || tags.isEmpty()) {
      return NO_TAGS;
    }
    if (tags.size() > MAX_TAGS) {
      throw new IllegalArgumentException("tags must be at most " + MAX_TAGS + ", got " + tags.size() + " "
          + tags.keySet());
    }
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      requireValidTag(tag.getKey(), tag.getValue());
      copy.put(tag.getKey(), tag.getValue());
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  private static void requireDimension(String field, String value) {
    if (value == null) {
      return;
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank when given, got " + quote(value));
    }
    if (value.length() > MAX_DIMENSION_LENGTH) {
      throw new IllegalArgumentException(
          field + " must be at most " + MAX_DIMENSION_LENGTH + " characters, got " + value.length());
    }
    if (hasControlCharacter(value)) {
      throw new IllegalArgumentException(
          field + " must not contain control characters, got " + quote(escapeControls(value)));
    }
  }

  private static boolean hasControlCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static String escapeControls(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
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
    private String project;
    private String session;
    private final TreeMap<String, String> tags = new TreeMap<>();
    private long costNanoUsd = NO_COST;

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

    /** The project; {@code null} for none. */
    public Builder project(String value) {
      this.project = value;
      return this;
    }

    /** The session; {@code null} for none. */
    public Builder session(String value) {
      this.session = value;
      return this;
    }

    /** Adds (or replaces) one tag. */
    public Builder tag(String key, String value) {
      tags.put(Objects.requireNonNull(key, "tag key"), value);
      return this;
    }

    /** Adds (or replaces) every tag of {@code values}. */
    public Builder tags(Map<String, String> values) {
      values.forEach(this::tag);
      return this;
    }

    /** A known cost in nano-dollars (say, reported by the provider); the tracker prices events without. */
    public Builder costNanoUsd(long value) {
      this.costNanoUsd = value;
      return this;
    }

    /** Builds the event; the timestamp is required. */
    public TokenUsageEvent build() {
      long total = totalTokens != null
          ? totalTokens
          : sumOfParts(inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens);
      return new TokenUsageEvent(model, inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens,
          total, timestamp, requestId, project, session, tags, costNanoUsd);
    }
  }
}
