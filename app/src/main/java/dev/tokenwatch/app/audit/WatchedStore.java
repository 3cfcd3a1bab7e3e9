package dev.tokenwatch.app.audit;

import dev.tokenwatch.domain.ForwardingUsageStore;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.domain.reservation.CommitResult;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The tracker's store, with each {@link #record} (and {@link #commit}) written to the trail's {@link PendingOps} first, so
 * that a crash between the store's commit and the trail's record leaves the operation behind for
 * {@link Reconciliation}. Everything else passes through.
 */
final class WatchedStore extends ForwardingUsageStore {

  private static final Logger LOG = LogManager.getLogger(WatchedStore.class);

  private final PendingOps pending;

  WatchedStore(UsageStore store, PendingOps pending) {
    super(store);
    this.pending = pending;
  }

  @Override
  public RecordResult record(List<TokenUsageEvent> events, List<BudgetWindow> windows) {
    long op = begin(events);
    RecordResult result = delegate().record(events, windows); // if this throws, the operation stays open
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
    CommitResult result = delegate().commit(reservationId, events, windows, now);
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
}
