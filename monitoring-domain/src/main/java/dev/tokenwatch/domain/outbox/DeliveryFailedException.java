package dev.tokenwatch.domain.outbox;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a sink throws when an alert did not arrive: its message says why (kept in the outbox and
 * shown as it is, so it must hold no secret), and it may say how long the receiver asked to be left
 * alone (an HTTP 429's {@code Retry-After}); {@link AlertDelivery} then tries again no sooner (see
 * {@link DeliveryPolicy#backoff(int, Duration)}). Any other exception from a sink is a failure too,
 * retried with the policy's backoff.
 */
public class DeliveryFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;

  /** A failure retried with the policy's backoff. */
  public DeliveryFailedException(String message) {
    this(message, (Throwable) null);
  }

  /** A failure retried with the policy's backoff, caused by {@code cause} (may be null). */
  public DeliveryFailedException(String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.retryAfter = null;
  }

  /** A failure whose receiver asked for no retry within {@code retryAfter} (zero or more). */
  public DeliveryFailedException(String message, Duration retryAfter) {
    super(Objects.requireNonNull(message, "message"));
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative, got " + retryAfter);
    }
    this.retryAfter = retryAfter;
  }

  /** How long the receiver asked to wait before the next attempt; empty when it did not say. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
