package dev.tokenwatch.domain.cost;

/**
 * How long the prompt-cache writes of an event are kept, which decides their price. Events do not
 * say (a log line gives one count of cache creation tokens), so {@link #FIVE_MINUTES}, the default
 * of Anthropic's API, is assumed unless the caller knows better.
 */
public enum CacheWrites {
  /** Five-minute cache writes (Anthropic's default; {@code cache_write_mtok} in the source). */
  FIVE_MINUTES,
  /** One-hour cache writes ({@code cache_write_1h_mtok} in the source). */
  ONE_HOUR
}
