package dev.tokenwatch.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An estimate held against the hard budgets of a call until the call is settled: {@link #commit}
 * with its actual usage, or {@link #release} if it failed. Closing an unsettled reservation releases
 * it, so {@code try (Reservation r = tracker.reserve(...)) { ... r.commit(actual); }} never leaks one.
 * A reservation that is not settled expires after the tracker's reservation timeout.
 */
public final class Reservation implements AutoCloseable {

  /** Sets {@code settled} once (a field, not an AtomicBoolean: one object less per call). */
  private static final VarHandle SETTLED;

  static {
    try {
      SETTLED = MethodHandles.lookup().findVarHandle(Reservation.class, "settled", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Reservations reservations;
  private final String id;
  private final Instant expiresAt;
  private final List<String> hardBudgets;
  @SuppressWarnings("unused") // through SETTLED
  private volatile boolean settled;

  Reservation(Reservations reservations, String id, Instant expiresAt, List<String> hardBudgets) {
    this.reservations = reservations;
    this.id = id;
    this.expiresAt = expiresAt;
    this.hardBudgets = hardBudgets; // immutable, made by HardLimits
  }

  /** The reservation's id (what {@link TokenTracker#commit(String, TokenUsageEvent)} takes). */
  public String id() {
    return id;
  }

  /** When the reservation stops holding anything. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** The names of the hard budgets it holds an amount in (empty when the call falls under none). */
  public List<String> hardBudgets() {
    return hardBudgets;
  }

  /**
   * Records the call's actual usage and ends the reservation, in one store operation; the usage is
   * recorded in full even where it is larger than the estimate (the call happened).
   *
   * @throws IllegalStateException if the reservation was settled already
   */
  public TrackResult commit(TokenUsageEvent actual) {
    Objects.requireNonNull(actual, "actual");
    settle("committed");
    return reservations.commit(this, actual).tracked();
  }

  /**
   * Ends the reservation without usage.
   *
   * @return whether it was still open (false if it had expired)
   * @throws IllegalStateException if the reservation was settled already
   */
  public boolean release() {
    settle("released");
    return reservations.release(id);
  }

  /** Releases the reservation unless it was committed or released. */
  @Override
  public void close() {
    if (SETTLED.compareAndSet(this, false, true)) {
      reservations.release(id);
    }
  }

  private void settle(String how) {
    if (!SETTLED.compareAndSet(this, false, true)) {
      throw new IllegalStateException("reservation " + id + " cannot be " + how + ": it was settled already");
    }
  }

  @Override
  public String toString() {
    return "Reservation[" + id + ", expires " + expiresAt + ", holds in " + hardBudgets + "]";
  }
}
