package dev.tokenwatch.config;

import java.util.Objects;

/**
 * A configured secret (a password, a webhook URL). Its {@link #toString()} never shows the value,
 * so a secret cannot leak into a message or log line by accident; {@link #reveal()} is called only
 * where the value is handed to the adapter that needs it. {@link AppConfig#secrets()} lists every
 * secret of a configuration, for a caller that masks them in its output.
 */
public final class Secret {

  /** What a secret is shown as. */
  public static final String REDACTED = "<redacted>";

  private final String value;

  /** A secret of the given value. */
  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The value, for the adapter that needs it. */
  public String reveal() {
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
