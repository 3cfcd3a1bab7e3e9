package dev.tokenwatch.app.audit;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.port.AlertOutbox;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.domain.reservation.CommitResult;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The tracker's store, with each {@link #record} (and {@link #commit}) written to the trail's {@link PendingOps} first, so
 * that a crash between the store's commit and the trail's record leaves the operation behind for
 * {@link Reconciliation}. Everything else passes through.
 */
final class WatchedStore implements UsageStore {

  private static final Logger LOG = LogManager.getLogger(WatchedStore.class);

  private final UsageStore store;
  private final PendingOps pending;

  WatchedStore(UsageStore store, PendingOps pending) {
    this.store = store;
    this.pending = pending;
  }

  @Override
  public RecordResult record(List<TokenUsageEvent> events, List<BudgetWindow> windows) {
    long op = begin(events);
    RecordResult result = store.record(events, windows); // if this throws, the operation stays open
    if (op != 0) {
      pending.recorded(op);
    }
    return result;
  }

  /** A commit records usage as {@link #record} does: noted first in the same way. */
  @Override
  public CommitResult commit(String reservationId, List<TokenUsageEvent> events, List<BudgetWindow> windows,
      Instant now) {
    long op = begin(events);
    CommitResult result = store.commit(reservationId, events, windows, now);
    if (op != 0) {
      pending.recorded(op);
    }
    return result;
  }

  /** The operation's number in the pending file, or 0 if it could not be written. */
  private long begin(List<TokenUsageEvent> events) {
    try {
      return pending.begin(events);
    } catch (IOException | RuntimeException e) {
      // as for the trail itself: logged, and tracking goes on (a crash now would go unreconciled)
      LOG.error("Could not write the audit trail's pending file {}: {}", pending.file(), e.toString(), e);
      return 0;
    }
  }

  @Override
  public ReserveOutcome reserve(ReservationRequest request, Instant now) {
    return store.reserve(request, now);
  }

  @Override
  public boolean release(String reservationId, Instant now) {
    return store.release(reservationId, now);
  }

  @Override
  public OpenReservations reserved(BudgetWindow window, BudgetUnit unit, Instant now) {
    return store.reserved(window, unit, now);
  }

  @Override
  public Counts windowTotals(BudgetWindow window) {
    return store.windowTotals(window);
  }

  @Override
  public boolean claimThreshold(BudgetWindow window, double threshold, AlertClaim claim) {
    return store.claimThreshold(window, threshold, claim);
  }

  @Override
  public AlertOutbox outbox() {
    return store.outbox();
  }

  @Override
  public SortedSet<Double> claimedThresholds(BudgetWindow window) {
    return store.claimedThresholds(window);
  }

  @Override
  public UsageAnswer query(UsageQuery query) {
    return store.query(query);
  }

  @Override
  public List<TokenUsageEvent> history(UsageFilter filter, int limit) {
    return store.history(filter, limit);
  }

  @Override
  public void resetWindow(BudgetWindow window) {
    store.resetWindow(window);
  }

  @Override
  public void dropBefore(Instant cutoff) {
    store.dropBefore(cutoff);
  }

  @Override
  public Instant retainedFrom() {
    return store.retainedFrom();
  }

  @Override
  public boolean keepsWindow(BudgetWindow window) {
    return store.keepsWindow(window);
  }

  @Override
  public void close() {
    store.close();
  }

  @Override
  public String toString() {
    return store.toString();
  }
}
