package dev.tokenwatch.app.wiring;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.outbox.AlertDelivery;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Registered as the tracker is made, so it closes before the store: waits up to {@code
 * notifiers.waitOnExit} for the command's alerts to be delivered, and says on stderr what it leaves
 * in the store's outbox for a later command.
 */
final class AlertsOnExit implements AutoCloseable {

  private final TokenTracker tracker;
  private final Duration wait;
  private final PrintStream diagnostics;

  AlertsOnExit(TokenTracker tracker, Duration wait, PrintStream diagnostics) {
    this.tracker = tracker;
    this.wait = wait;
    this.diagnostics = diagnostics;
  }

  @Override
  public void close() throws InterruptedException {
    AlertDelivery.Backlog left = tracker.awaitAlerts(wait);
    tracker.stopAlertDelivery();
    if (left.undelivered() > 0) {
      diagnostics.println("tokenwatch: " + left.undelivered() + (left.undelivered() == 1 ? " alert" : " alerts")
          + " not delivered within " + seconds(wait)
          + (left.lastProblem().isEmpty() ? "" : " (" + left.lastProblem() + ")")
          + "; kept in the store's outbox, the next tokenwatch command tries again");
    }
  }

  /** "3s", "0.5s": as the configuration writes it. */
  private static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis / 1000.0 + "s";
  }
}
