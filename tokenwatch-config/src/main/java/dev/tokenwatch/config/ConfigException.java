package dev.tokenwatch.config;

/**
 * The configuration cannot be used. The message is complete and meant for a person: it names the
 * file, the line and the key ({@code config.yaml line 4: budget.limit must be ...}); the CLI exits
 * with code 2.
 */
public final class ConfigException extends RuntimeException {

  /** A configuration error with a complete message. */
  public ConfigException(String message) {
    super(message);
  }

  /** A configuration error with a complete message and its cause. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code text} in double quotes, with quotes and backslashes escaped: how messages show a value. */
  public static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
