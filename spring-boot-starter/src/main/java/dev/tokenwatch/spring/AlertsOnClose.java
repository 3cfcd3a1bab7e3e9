package dev.tokenwatch.spring;

import dev.tokenwatch.config.Durations;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.outbox.AlertDelivery;
import java.time.Duration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.springframework.beans.factory.DisposableBean;

/**
 * When the context closes (before the tracker, the store and the sinks, since it depends on the
 * tracker): waits up to {@code tokenwatch.notifiers.wait-on-exit} (3 s by default) for the alerts
 * being delivered, then stops delivery; what is left stays in the store's outbox for the next start.
 */
final class AlertsOnClose implements DisposableBean {

  private static final Logger LOG = LogManager.getLogger(AlertsOnClose.class);
  private final TokenTracker tracker;
  private final Duration wait;

  AlertsOnClose(TokenTracker tracker, Duration wait) {
    this.tracker = tracker;
    this.wait = wait;
  }

  /** How long closing waits. */
  Duration waitOnExit() {
    return wait;
  }

  @Override
  public void destroy() throws InterruptedException {
    AlertDelivery.Backlog left = tracker.awaitAlerts(wait);
    tracker.stopAlertDelivery();
    if (left.undelivered() > 0) {
      LOG.warn("{} alert(s) not delivered within {} of closing ({}); kept in the store's outbox for the next start",
          left.undelivered(), Durations.format(wait), left.lastProblem());
    }
  }
}
