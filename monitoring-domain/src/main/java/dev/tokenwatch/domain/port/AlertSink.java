package dev.tokenwatch.domain.port;

import dev.tokenwatch.domain.Alert;
import java.util.Optional;

/**
 * Where alerts go: a console, a chat channel, a pager. A tracker delivers through {@link #deliverNow},
 * from the store's outbox, retrying failures (see {@link #remote}); a sink that throws counts as a
 * failed delivery and never breaks the tracking call.
 */
@FunctionalInterface
public interface AlertSink {

  /** Delivers one alert. */
  void deliver(Alert alert);

  /**
   * The name under which alerts for this sink wait in the store's outbox until delivered: stable
   * across processes and runs for a sink that should receive what another process left (a later
   * process delivers only to sinks of the same name). The default is the class's name.
   */
  default String name() {
    return getClass().getName();
  }

  /**
   * Whether delivery goes over a network or otherwise may be slow or fail: such a sink gets its
   * alerts from the tracker's delivery thread, so it never delays a tracking call; others (a console,
   * a callback) get an alert on the tracking thread, before {@code track} returns. The default is false.
   */
  default boolean remote() {
    return false;
  }

  /**
   * Delivers {@code alert} now, on the calling thread, and says whether it arrived: empty when it
   * did, else what went wrong (for {@code tokenwatch doctor --test-alert}; no retries). The default
   * calls {@link #deliver} and reports what it throws. A sink may throw instead: a {@link
   * dev.tokenwatch.domain.outbox.DeliveryFailedException} tells the outbox how long to wait.
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
