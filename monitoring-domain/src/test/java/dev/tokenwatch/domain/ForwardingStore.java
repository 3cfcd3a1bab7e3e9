package dev.tokenwatch.domain;

import dev.tokenwatch.domain.reservation.CommitResult;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.port.AlertOutbox;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;

/** A store passing every call to another: tests override the calls they break. */
class ForwardingStore implements UsageStore {
  private final UsageStore inner;

  ForwardingStore(UsageStore inner) {
    this.inner = inner;
  }

  @Override
  public RecordResult record(List<TokenUsageEvent> events, List<BudgetWindow> windows) {
    return inner.record(events, windows);
  }

  @Override
  public Counts windowTotals(BudgetWindow window) {
    return inner.windowTotals(window);
  }

  @Override
  public ReserveOutcome reserve(ReservationRequest request, Instant now) {
    return inner.reserve(request, now);
  }

  @Override
  public CommitResult commit(String reservationId, List<TokenUsageEvent> events, List<BudgetWindow> windows,
      Instant now) {
    return inner.commit(reservationId, events, windows, now);
  }

  @Override
  public boolean release(String reservationId, Instant now) {
    return inner.release(reservationId, now);
  }

  @Override
  public OpenReservations reserved(BudgetWindow window, BudgetUnit unit, Instant now) {
    return inner.reserved(window, unit, now);
  }

  @Override
  public boolean keepsWindow(BudgetWindow window) {
    return inner.keepsWindow(window);
  }

  @Override
  public boolean claimThreshold(BudgetWindow window, double threshold, AlertClaim claim) {
    return inner.claimThreshold(window, threshold, claim);
  }

  @Override
  public AlertOutbox outbox() {
    return inner.outbox();
  }

  @Override
  public SortedSet<Double> claimedThresholds(BudgetWindow window) {
    return inner.claimedThresholds(window);
  }

  @Override
  public UsageAnswer query(UsageQuery query) {
    return inner.query(query);
  }

  @Override
  public List<TokenUsageEvent> history(UsageFilter filter, int limit) {
    return inner.history(filter, limit);
  }

  @Override
  public void resetWindow(BudgetWindow window) {
    inner.resetWindow(window);
  }

  @Override
  public void dropBefore(Instant cutoff) {
    inner.dropBefore(cutoff);
  }

  @Override
  public Instant retainedFrom() {
    return inner.retainedFrom();
  }
}
