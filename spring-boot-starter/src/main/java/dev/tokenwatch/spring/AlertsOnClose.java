package dev.tokenwatch.spring;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.outbox.AlertDelivery;
import java.time.Duration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.springframework.beans.factory.DisposableBean;

/**
 * When the context closes (before the tracker, the store and the sinks, since it depends on the
 * tracker): waits up to 3 seconds for the alerts being delivered, then stops delivery; what is left
 * stays in the store's outbox for the next start.
 */
final class AlertsOnClose implements DisposableBean {

  private static final Logger LOG = LogManager.getLogger(AlertsOnClose.class);
  static final Duration WAIT = Duration.ofSeconds(3);

  private final TokenTracker tracker;

  AlertsOnClose(TokenTracker tracker) {
    this.tracker = tracker;
  }

  @Override
  public void destroy() throws InterruptedException {
    AlertDelivery.Backlog left = tracker.awaitAlerts(WAIT);
    tracker.stopAlertDelivery();
    if (left.undelivered() > 0) {
      LOG.warn("{} alert(s) not delivered within {} s of closing ({}); kept in the store's outbox for the next start",
          left.undelivered(), WAIT.toSeconds(), left.lastProblem());
    }
  }
}
