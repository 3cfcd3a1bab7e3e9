package dev.tokenwatch.domain;

/**
 * Usage of a budget in its current period.
 *
 * @param used tokens charged in the period
 * @param limit the budget's limit
 * @param percentage the ratio used / limit: 0.72 means 72%; may exceed 1.0
 * @param remaining tokens left before the limit, never negative
 */
public record Usage(long used, long limit, double percentage, long remaining) {

  /** Usage of {@code used} tokens against {@code limit}. */
  public static Usage of(long used, long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    return new Usage(used, limit, (double) used / limit, Math.max(0, limit - used));
  }
}
