package dev.tokenwatch.domain.reservation;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The open reservations of a store, kept in memory: the reference bookkeeping of {@code
 * UsageStore.reserve}, {@code commit} and {@code release} for stores that hold their state in one
 * process's memory under their own lock (the in-memory store; the file store replays its journal
 * into one). Not thread-safe: the store's lock guards it.
 */
public final class ReservationBook {

  private final Map<String, ReservationRequest> open = new LinkedHashMap<>();
  /** What the open reservations hold per window key and unit. */
  private final Map<Key, long[]> heldByWindow = new HashMap<>();
  /** No open reservation expires before this: {@link #expire} scans only once it has passed. */
  private Instant earliestExpiry = Instant.MAX;

  /**
   * Decides {@code request} at {@code now} against the windows' committed totals ({@code totals})
   * and the open reservations, and keeps it when every hold fits.
   *
   * @throws IllegalArgumentException if a reservation with the request's id is open
   */
  public ReserveOutcome reserve(ReservationRequest request, Instant now, Function<BudgetWindow, Counts> totals) {
    expire(now);
    if (open.containsKey(request.id())) {
      throw new IllegalArgumentException("reservation " + request.id() + " is open already");
    }
    List<HoldState> states = new ArrayList<>(request.holds().size());
    for (Hold hold : request.holds()) {
      states.add(new HoldState(hold.measure(totals.apply(hold.window())), held(hold.window(), hold.unit()).amount()));
    }
    ReserveOutcome outcome = ReserveOutcome.decide(request, states);
    if (outcome.granted()) {
      add(request);
    }
    return outcome;
  }

  /**
   * Adds {@code request} without a decision: a store replaying what it decided before. An open
   * reservation of the same id (one that expired where it was reused) is replaced, not counted twice.
   */
  public void add(ReservationRequest request) {
    ReservationRequest replaced = open.put(request.id(), request);
    if (replaced != null) {
      subtract(replaced);
    }
    if (request.expiresAt().isBefore(earliestExpiry)) {
      earliestExpiry = request.expiresAt();
    }
    for (Hold hold : request.holds()) {
      long[] sum = heldByWindow.computeIfAbsent(new Key(hold.window(), hold.unit()), k -> new long[2]);
      sum[0] = Math.addExact(sum[0], hold.amount());
      sum[1]++;
    }
  }

  /**
   * Takes reservation {@code id} out, for a commit or a release at {@code now}: true if it was open
   * and not expired.
   */
  public boolean settle(String id, Instant now) {
    ReservationRequest request = open.remove(id);
    if (request == null) {
      return false;
    }
    subtract(request);
    return request.expiresAt().isAfter(now);
  }

  /** What the open reservations not expired at {@code now} hold in {@code window} in {@code unit}. */
  public OpenReservations held(BudgetWindow window, BudgetUnit unit, Instant now) {
    expire(now);
    return held(window, unit);
  }

  /** How many reservations are open (some may have expired since the last operation). */
  public int size() {
    return open.size();
  }

  /** The open reservations, in the order they were made. */
  public List<ReservationRequest> open() {
    return List.copyOf(open.values());
  }

  /**
   * Forgets the reservations expired at {@code now} and returns their ids (so that a journal can
   * record their end).
   */
  public List<String> expire(Instant now) {
    if (now.isBefore(earliestExpiry)) {
      return List.of();
    }
    List<String> expired = null;
    Instant earliest = Instant.MAX;
    for (Iterator<ReservationRequest> it = open.values().iterator(); it.hasNext(); ) {
      ReservationRequest request = it.next();
      if (!request.expiresAt().isAfter(now)) {
        it.remove();
        subtract(request);
        expired = expired == null ? new ArrayList<>() : expired;
        expired.add(request.id());
      } else if (request.expiresAt().isBefore(earliest)) {
        earliest = request.expiresAt();
      }
    }
    earliestExpiry = earliest;
    return expired == null ? List.of() : expired;
  }

  private OpenReservations held(BudgetWindow window, BudgetUnit unit) {
    long[] sum = heldByWindow.get(new Key(window, unit));
    return sum == null ? OpenReservations.NONE : new OpenReservations(sum[0], (int) sum[1]);
  }

  private void subtract(ReservationRequest request) {
    for (Hold hold : request.holds()) {
      Key key = new Key(hold.window(), hold.unit());
      long[] sum = heldByWindow.get(key);
      sum[0] -= hold.amount();
      if (--sum[1] == 0) {
        heldByWindow.remove(key);
      }
    }
  }

  /** A window and a unit: the window's hash is its key's, computed once (a concatenated key was hashed anew each time). */
  private record Key(BudgetWindow window, BudgetUnit unit) {}
}
