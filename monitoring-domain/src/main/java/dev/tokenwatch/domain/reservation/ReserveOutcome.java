package dev.tokenwatch.domain.reservation;

import java.util.List;

/**
 * What {@code UsageStore.reserve} decided.
 *
 * @param refused the index of the first hold that did not fit, or -1 when the reservation was made
 * @param states each hold's window as the store found it (before this reservation), in order
 */
public record ReserveOutcome(int refused, List<HoldState> states) {

  public ReserveOutcome {
    states = List.copyOf(states);
    if (refused < -1 || refused >= Math.max(states.size(), 1) && refused != -1) {
      throw new IllegalArgumentException("refused must be -1 or a hold's index, got " + refused);
    }
  }

  /** The outcome of {@code request} given the windows' {@code states}: the rule of {@link ReservationRequest}. */
  public static ReserveOutcome decide(ReservationRequest request, List<HoldState> states) {
    return new ReserveOutcome(request.firstRefused(states), states);
  }

  /** Whether the reservation was made. */
  public boolean granted() {
    return refused < 0;
  }
}
