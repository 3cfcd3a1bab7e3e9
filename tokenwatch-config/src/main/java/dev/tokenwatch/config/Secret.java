package dev.tokenwatch.config;

import dev.tokenwatch.app.logging.Redaction;
import java.util.Objects;

/**
 * A configured secret (a password, a webhook URL). Its {@link #toString()} never shows the value,
 * so a secret cannot leak into a message or log line by accident; {@link #reveal()} is called only
 * where the value is handed to the adapter that needs it.
 */
final class Secret {

  static final String REDACTED = "<redacted>";

  private final String value;

  /** Registers the value with {@link Redaction}: from now on it is masked in every log line and CLI message. */
  Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
    Redaction.register(value);
  }

  String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return REDACTED;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
