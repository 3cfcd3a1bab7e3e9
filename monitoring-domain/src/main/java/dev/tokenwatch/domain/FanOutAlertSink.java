package dev.tokenwatch.domain;

import dev.tokenwatch.domain.port.AlertSink;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Delivers each alert to several sinks. A sink that throws is logged and skipped; it never stops
 * delivery to the others or breaks the tracking call.
 */
public final class FanOutAlertSink implements AlertSink {

  private static final Logger LOG = LogManager.getLogger(FanOutAlertSink.class);

  private final List<AlertSink> sinks;

  /** A sink delivering to each of {@code sinks}, in order. */
  public FanOutAlertSink(List<? extends AlertSink> sinks) {
    this.sinks = List.copyOf(sinks);
  }

  @Override
  public void deliver(Alert alert) {
    for (AlertSink sink : sinks) {
      try {
        sink.deliver(alert);
      } catch (RuntimeException e) {
        LOG.error("Alert sink {} failed to deliver an alert of budget '{}' at {}: {}",
            sink.getClass().getName(), alert.budgetName(), Alert.formatPercent(alert.threshold()), e.toString(), e);
      }
    }
  }

  /** The sinks, in delivery order. */
  public List<AlertSink> sinks() {
    return sinks;
  }

  @Override
  public String toString() {
    return "FanOutAlertSink" + sinks.stream().map(s -> s.getClass().getSimpleName()).toList();
  }
}
