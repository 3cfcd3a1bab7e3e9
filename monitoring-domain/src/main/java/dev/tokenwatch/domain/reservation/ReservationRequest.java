package dev.tokenwatch.domain.reservation;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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

  public ReservationRequest {
    requireValidId(id);
    Objects.requireNonNull(expiresAt, "expiresAt");
    holds = List.copyOf(holds);
    if (holds.size() > 1) {
      Set<String> windows = new HashSet<>();
      for (Hold hold : holds) {
        if (!windows.add(hold.window().key())) {
          throw new IllegalArgumentException("a reservation holds each window once, got " + hold.window() + " twice");
        }
      }
    }
  }

  /** Checks a reservation id's form (also for ids given by users, as to {@code commit} and {@code release}). */
  public static String requireValidId(String id) {
    if (id == null || !validId(id)) {
      throw new IllegalArgumentException("reservation id must be 1 to 64 letters, digits, '.', '_' or '-', got "
          + (id == null ? "null" : '"' + (id.length() > 80 ? id.substring(0, 80) + "..." : id) + '"'));
    }
    return id;
  }

  /** The characters of an id, as bits by code: {@code - . 0-9} among 0 to 63, {@code A-Z _ a-z} among 64 to 127. */
  private static final long ID_CHARS_LOW = 0x03ff_6000_0000_0000L;
  private static final long ID_CHARS_HIGH = 0x07ff_fffe_87ff_fffeL;

  /** Letters, digits, {@code . _ -}, 1 to 64 characters (bit masks: a regex cost a third of a reserve). */
  private static boolean validId(String id) {
    int n = id.length();
    if (n == 0 || n > 64) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      // a long shifts by the low six bits of c: c - 64 for the high word
      if (c >= 128 || ((c < 64 ? ID_CHARS_LOW : ID_CHARS_HIGH) >>> c & 1) == 0) {
        return false;
      }
    }
    return true;
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
