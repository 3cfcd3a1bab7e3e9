package dev.tokenwatch.domain.port;

import dev.tokenwatch.domain.Alert;

/**
 * Where alerts go: a console, a chat channel, a pager. Implementations should return quickly (hand
 * slow work to a worker); a sink that throws is logged and does not stop delivery to other sinks or
 * the tracking call.
 */
@FunctionalInterface
public interface AlertSink {

  /** Delivers one alert. */
  void deliver(Alert alert);
}
