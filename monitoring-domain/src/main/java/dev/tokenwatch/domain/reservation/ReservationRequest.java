package dev.tokenwatch.domain.reservation;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A reservation to be made: its id, when it expires and what it holds in each hard budget's window.
 * A request with no holds (no hard budget concerned) is still kept, so that its commit and release
 * are told apart from those of an unknown id.
 *
 * @param id unique; letters, digits, {@code . _ -}, 1 to 64 characters
 * @param expiresAt after this instant the reservation holds nothing
 * @param holds one per hard budget window, each window at most once
 */
public record ReservationRequest(String id, Instant expiresAt, List<Hold> holds) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public ReservationRequest {
    requireValidId(id);
    Objects.requireNonNull(expiresAt, "expiresAt");
    holds = List.copyOf(holds);
    Set<String> windows = new HashSet<>();
    for (Hold hold : holds) {
      if (!windows.add(hold.window().key())) {
        throw new IllegalArgumentException("a reservation holds each window once, got " + hold.window() + " twice");
      }
    }
  }

  /** Checks a reservation id's form (also for ids given by users, as to {@code commit} and {@code release}). */
  public static String requireValidId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("reservation id must be 1 to 64 letters, digits, '.', '_' or '-', got "
          + (id == null ? "null" : '"' + (id.length() > 80 ? id.substring(0, 80) + "..." : id) + '"'));
    }
    return id;
  }

  /**
   * The index of the first hold that does not fit beside {@code states} (one per hold, in order), or
   * -1 when every hold fits and the reservation is to be granted. The one rule every store applies.
   */
  public int firstRefused(List<HoldState> states) {
    if (states.size() != holds.size()) {
      throw new IllegalArgumentException("one state per hold: " + holds.size() + " holds, " + states.size() + " states");
    }
    for (int i = 0; i < holds.size(); i++) {
      if (!holds.get(i).fits(states.get(i).used(), states.get(i).reserved())) {
        return i;
      }
    }
    return -1;
  }
}
