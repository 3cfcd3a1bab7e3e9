package dev.tokenwatch.domain.port;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * An event together with the start of the period it is charged to (the period containing its own
 * timestamp, computed by the domain). Stores key totals by this start and need no calendar logic.
 */
public record ChargedEvent(TokenUsageEvent event, Instant periodStart) {

  public ChargedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(periodStart, "periodStart");
  }
}
