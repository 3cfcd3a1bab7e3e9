package dev.tokenwatch.domain.reservation;

/**
 * What the open reservations hold in one window.
 *
 * @param amount their sum, in the window's budget unit (tokens or nano-dollars)
 * @param count how many open reservations hold something in the window
 */
public record OpenReservations(long amount, int count) {

  /** Nothing reserved. */
  public static final OpenReservations NONE = new OpenReservations(0, 0);
}
