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

  /** The open reservations by id, in the order they were made, each with the sums it is counted in. */
  private final Map<String, Open> open = new LinkedHashMap<>();
  /** What the open reservations hold per window key and unit. */
  private final Map<Key, Held> heldByWindow = new HashMap<>();
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
    List<Hold> holds = request.holds();
    int n = holds.size();
    Key[] keys = new Key[n];
    Held[] sums = new Held[n];
    HoldState[] states = new HoldState[n];
    for (int i = 0; i < n; i++) {
      Hold hold = holds.get(i);
      keys[i] = new Key(hold.window(), hold.unit());
      sums[i] = heldByWindow.get(keys[i]);
      states[i] = new HoldState(hold.measure(totals.apply(hold.window())), sums[i] == null ? 0 : sums[i].amount);
    }
    // an array of one or two is kept as it is by the outcome's List.copyOf
    ReserveOutcome outcome = ReserveOutcome.decide(request, List.of(states));
    // one lookup of the id: taken if granted, else only looked at
    if (outcome.granted() ? open.putIfAbsent(request.id(), new Open(request, sums)) != null
        : open.containsKey(request.id())) {
      throw new IllegalArgumentException("reservation " + request.id() + " is open already");
    }
    if (outcome.granted()) {
      count(request, keys, sums);
    }
    return outcome;
  }

  /**
   * Adds {@code request} without a decision: a store replaying what it decided before. An open
   * reservation of the same id (one that expired where it was reused) is replaced, not counted twice.
   */
  public void add(ReservationRequest request) {
    List<Hold> holds = request.holds();
    Key[] keys = new Key[holds.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new Key(holds.get(i).window(), holds.get(i).unit());
    }
    add(request, keys);
  }

  private void add(ReservationRequest request, Key[] keys) {
    Held[] sums = new Held[keys.length];
    Open replaced = open.put(request.id(), new Open(request, sums));
    count(request, keys, sums);
    if (replaced != null) {
      subtract(replaced);
    }
  }

  /** Counts {@code request}'s holds in their sums ({@code sums}: those found, null where none was; filled in). */
  private void count(ReservationRequest request, Key[] keys, Held[] sums) {
    List<Hold> holds = request.holds();
    for (int i = 0; i < keys.length; i++) {
      Held sum = sums[i] != null ? sums[i] : heldByWindow.computeIfAbsent(keys[i], Held::new);
      sum.amount = Math.addExact(sum.amount, holds.get(i).amount());
      sum.count++;
      sums[i] = sum;
    }
    if (request.expiresAt().isBefore(earliestExpiry)) {
      earliestExpiry = request.expiresAt();
    }
  }

  /**
   * Takes reservation {@code id} out, for a commit or a release at {@code now}: true if it was open
   * and not expired.
   */
  public boolean settle(String id, Instant now) {
    Open settled = open.remove(id);
    if (settled == null) {
      return false;
    }
    subtract(settled);
    return settled.request.expiresAt().isAfter(now);
  }

  /** What the open reservations not expired at {@code now} hold in {@code window} in {@code unit}. */
  public OpenReservations held(BudgetWindow window, BudgetUnit unit, Instant now) {
    expire(now);
    Held sum = heldByWindow.get(new Key(window, unit));
    return sum == null ? OpenReservations.NONE : new OpenReservations(sum.amount, sum.count);
  }

  /** How many reservations are open (some may have expired since the last operation). */
  public int size() {
    return open.size();
  }

  /** The open reservations, in the order they were made. */
  public List<ReservationRequest> open() {
    List<ReservationRequest> requests = new ArrayList<>(open.size());
    for (Open o : open.values()) {
      requests.add(o.request);
    }
    return List.copyOf(requests);
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
    for (Iterator<Open> it = open.values().iterator(); it.hasNext(); ) {
      Open o = it.next();
      Instant expiresAt = o.request.expiresAt();
      if (!expiresAt.isAfter(now)) {
        it.remove();
        subtract(o);
        expired = expired == null ? new ArrayList<>() : expired;
        expired.add(o.request.id());
      } else if (expiresAt.isBefore(earliest)) {
        earliest = expiresAt;
      }
    }
    earliestExpiry = earliest;
    return expired == null ? List.of() : expired;
  }

  /** Takes an open reservation out of the sums it was counted in (found when it was added: no lookups). */
  private void subtract(Open o) {
    List<Hold> holds = o.request.holds();
    for (int i = 0; i < o.sums.length; i++) {
      Held sum = o.sums[i];
      sum.amount -= holds.get(i).amount();
      if (--sum.count == 0) {
        heldByWindow.remove(sum.key); // no open reservation refers to it any more
      }
    }
  }

  /** An open reservation and, per hold, the sum it is counted in. */
  private record Open(ReservationRequest request, Held[] sums) {}

  /** What the open reservations hold in one window and unit. */
  private static final class Held {
    final Key key;
    long amount;
    int count;

    Held(Key key) {
      this.key = key;
    }
  }

  /** A window and a unit: the window's hash is its key's, computed once (a concatenated key was hashed anew each time). */
  private record Key(BudgetWindow window, BudgetUnit unit) {}
}
