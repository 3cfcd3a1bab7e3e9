package dev.tokenwatch.domain;

import java.util.Optional;

/**
 * The result of tracking one event.
 *
 * @param alert the alert the event raised, if any
 * @param usage the current period's usage afterwards
 * @param outcome whether the event was counted, replaced an earlier one, or was a duplicate
 */
public record TrackResult(Optional<Alert> alert, Usage usage, TrackOutcome outcome) {

  /** Whether the event was dropped as a duplicate. */
  public boolean duplicate() {
    return outcome == TrackOutcome.DUPLICATE;
  }
}
