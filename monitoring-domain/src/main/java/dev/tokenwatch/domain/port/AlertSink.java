package dev.tokenwatch.domain.port;

import dev.tokenwatch.domain.Alert;
import java.util.Optional;

/**
 * Where alerts go: a console, a chat channel, a pager. Implementations should return quickly (hand
 * slow work to a worker); a sink that throws is logged and does not stop delivery to other sinks or
 * the tracking call.
 */
@FunctionalInterface
public interface AlertSink {

  /** Delivers one alert. */
  void deliver(Alert alert);

  /**
   * Delivers {@code alert} now, on the calling thread, and says whether it arrived: empty when it
   * did, else what went wrong (for {@code tokenwatch doctor --test-alert}; no retries). The default
   * calls {@link #deliver} and reports what it throws.
   */
  default Optional<String> deliverNow(Alert alert) {
    try {
      deliver(alert);
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }
}
