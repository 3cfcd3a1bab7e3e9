package dev.tokenwatch.domain.reservation;

/**
 * A hard budget's window as a reservation found it, under the store's lock.
 *
 * @param used the committed usage in the window, in the hold's unit
 * @param reserved what the other open reservations hold in the window, in the hold's unit
 */
public record HoldState(long used, long reserved) {}
