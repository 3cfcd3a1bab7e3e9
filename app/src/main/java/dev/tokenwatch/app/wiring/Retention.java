package dev.tokenwatch.app.wiring;

import dev.tokenwatch.domain.port.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** {@code store.retention}: drops the events older than the retention, once a day at the most. */
final class Retention {

  private Retention() {}

  /**
   * Drops from {@code store} every event before the start (UTC) of the day {@code retention} before
   * {@code now}. Cut at whole days, the cutoff moves once a day, so commands run in between find the
   * store already cut and change nothing.
   */
  static void apply(UsageStore store, Duration retention, Instant now) {
    Instant cutoff = now.minus(retention).truncatedTo(ChronoUnit.DAYS);
    Instant retained = store.retainedFrom();
    if (retained == null || cutoff.isAfter(retained)) {
      store.dropBefore(cutoff);
    }
  }
}
