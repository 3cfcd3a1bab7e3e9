package dev.tokenwatch.config;

/**
 * The configuration cannot be used. The message is complete and meant for a person: it names the
 * file, the line and the key ({@code config.yaml line 4: budget.limit must be ...}). Exit code 2.
 */
final class ConfigException extends RuntimeException {

  ConfigException(String message) {
    super(message);
  }

  ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
