package dev.tokenwatch.domain.port;

import java.time.Instant;

/** The source of the current time; the domain never reads the system clock itself. */
@FunctionalInterface
public interface Clock {

  /** The current instant. */
  Instant now();

  /** The system's clock. */
  static Clock system() {
    return Instant::now;
  }
}
