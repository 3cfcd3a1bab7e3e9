package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.port.AlertOutbox;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.domain.reservation.CommitResult;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;

/**
 * A store passing every call to another, for decorators that change a few calls (an audit trail
 * watching writes, a test failing one): they extend it and override only those.
 */
public abstract class ForwardingUsageStore implements UsageStore {

  private final UsageStore delegate;

  /** A store forwarding every call to {@code delegate}. */
  protected ForwardingUsageStore(UsageStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The store calls go to. */
  protected final UsageStore delegate() {
    return delegate;
  }

  @Override
  public RecordResult record(List<TokenUsageEvent> events, List<BudgetWindow> windows) {
    return delegate.record(events, windows);
  }

  @Override
  public Counts windowTotals(BudgetWindow window) {
    return delegate.windowTotals(window);
  }

  @Override
  public boolean claimThreshold(BudgetWindow window, double threshold, AlertClaim claim) {
    return delegate.claimThreshold(window, threshold, claim);
  }

  @Override
  public AlertOutbox outbox() {
    return delegate.outbox();
  }

  @Override
  public SortedSet<Double> claimedThresholds(BudgetWindow window) {
    return delegate.claimedThresholds(window);
  }

  @Override
  public UsageAnswer query(UsageQuery query) {
    return delegate.query(query);
  }

  @Override
  public List<TokenUsageEvent> history(UsageFilter filter, int limit) {
    return delegate.history(filter, limit);
  }

  @Override
  public void resetWindow(BudgetWindow window) {
    delegate.resetWindow(window);
  }

  @Override
  public void dropBefore(Instant cutoff) {
    delegate.dropBefore(cutoff);
  }

  @Override
  public Instant retainedFrom() {
    return delegate.retainedFrom();
  }

  @Override
  public boolean keepsWindow(BudgetWindow window) {
    return delegate.keepsWindow(window);
  }

  @Override
  public ReserveOutcome reserve(ReservationRequest request, Instant now) {
    return delegate.reserve(request, now);
  }

  @Override
  public CommitResult commit(String reservationId, List<TokenUsageEvent> events, List<BudgetWindow> windows,
      Instant now) {
    return delegate.commit(reservationId, events, windows, now);
  }

  @Override
  public boolean release(String reservationId, Instant now) {
    return delegate.release(reservationId, now);
  }

  @Override
  public OpenReservations reserved(BudgetWindow window, BudgetUnit unit, Instant now) {
    return delegate.reserved(window, unit, now);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
