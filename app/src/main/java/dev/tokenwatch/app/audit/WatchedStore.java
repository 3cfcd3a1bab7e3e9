package dev.tokenwatch.app.audit;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The tracker's store, with each {@link #record} written to the trail's {@link PendingOps} first, so
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
    long op;
    try {
      op = pending.begin(events);
    } catch (IOException | RuntimeException e) {
      // as for the trail itself: logged, and tracking goes on (a crash now would go unreconciled)
      LOG.error("Could not write the audit trail's pending file {}: {}", pending.file(), e.toString(), e);
      op = 0;
    }
    RecordResult result = store.record(events, windows); // if this throws, the operation stays open
    if (op != 0) {
      pending.recorded(op);
    }
    return result;
  }

  @Override
  public Counts windowTotals(BudgetWindow window) {
    return store.windowTotals(window);
  }

  @Override
  public boolean claimThreshold(BudgetWindow window, double threshold) {
    return store.claimThreshold(window, threshold);
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
