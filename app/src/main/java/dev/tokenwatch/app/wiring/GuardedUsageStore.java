package dev.tokenwatch.app.wiring;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.reservation.CommitResult;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.outbox.PendingAlert;
import dev.tokenwatch.domain.port.AlertOutbox;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Supplier;

/**
 * Turns any failure of the configured store into a {@link StoreException} that names the store, so
 * the CLI can tell store failures (exit 3) from bad input (exit 2) whatever the adapter throws.
 */
final class GuardedUsageStore implements UsageStore {

  private final UsageStore store;
  private final String description;

  GuardedUsageStore(UsageStore store, String description) {
    this.store = store;
    this.description = description;
  }

  private <T> T guard(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw new StoreException(description + ": " + operation + " failed: " + e.getMessage(), e);
    }
  }

  private void guardVoid(String operation, Runnable call) {
    guard(operation, () -> {
      call.run();
      return null;
    });
  }

  @Override
  public RecordResult record(List<TokenUsageEvent> events, List<BudgetWindow> windows) {
    return guard("recording usage", () -> store.record(events, windows));
  }

  @Override
  public ReserveOutcome reserve(ReservationRequest request, Instant now) {
    return guard("reserving", () -> store.reserve(request, now));
  }

  @Override
  public CommitResult commit(String reservationId, List<TokenUsageEvent> events, List<BudgetWindow> windows,
      Instant now) {
    return guard("recording usage", () -> store.commit(reservationId, events, windows, now));
  }

  @Override
  public boolean release(String reservationId, Instant now) {
    return guard("releasing a reservation", () -> store.release(reservationId, now));
  }

  @Override
  public OpenReservations reserved(BudgetWindow window, BudgetUnit unit, Instant now) {
    return guard("reading reservations", () -> store.reserved(window, unit, now));
  }

  @Override
  public boolean keepsWindow(BudgetWindow window) {
    return guard("reading usage", () -> store.keepsWindow(window));
  }

  @Override
  public Counts windowTotals(BudgetWindow window) {
    return guard("reading usage", () -> store.windowTotals(window));
  }

  @Override
  public boolean claimThreshold(BudgetWindow window, double threshold, AlertClaim claim) {
    return guard("claiming an alert threshold", () -> store.claimThreshold(window, threshold, claim));
  }

  @Override
  public AlertOutbox outbox() {
    AlertOutbox outbox = store.outbox();
    return new AlertOutbox() {
      @Override
      public List<PendingAlert> takeDue(Set<String> sinks, Instant now, Instant leaseUntil, int max) {
        return guard("reading the alert outbox", () -> outbox.takeDue(sinks, now, leaseUntil, max));
      }

      @Override
      public void delivered(String alertId, String sink) {
        guardVoid("marking an alert delivered", () -> outbox.delivered(alertId, sink));
      }

      @Override
      public void retryAt(String alertId, String sink, Instant nextAttempt, String problem) {
        guardVoid("scheduling an alert's retry", () -> outbox.retryAt(alertId, sink, nextAttempt, problem));
      }

      @Override
      public void giveUp(String alertId, String sink, String problem) {
        guardVoid("giving up an alert", () -> outbox.giveUp(alertId, sink, problem));
      }

      @Override
      public List<PendingAlert> undelivered() {
        return guard("reading the alert outbox", outbox::undelivered);
      }
    };
  }

  @Override
  public SortedSet<Double> claimedThresholds(BudgetWindow window) {
    return guard("reading fired alerts", () -> store.claimedThresholds(window));
  }

  @Override
  public UsageAnswer query(UsageQuery query) {
    return guard("reading usage", () -> store.query(query));
  }

  @Override
  public List<TokenUsageEvent> history(UsageFilter filter, int limit) {
    return guard("reading history", () -> store.history(filter, limit));
  }

  @Override
  public void resetWindow(BudgetWindow window) {
    guardVoid("resetting the period", () -> store.resetWindow(window));
  }

  @Override
  public void dropBefore(Instant cutoff) {
    guardVoid("dropping usage past the retention", () -> store.dropBefore(cutoff));
  }

  @Override
  public Instant retainedFrom() {
    return guard("reading the retained range", store::retainedFrom);
  }

  @Override
  public void close() {
    // The store itself is registered with AppResources, which closes it; this view owns nothing.
  }

  @Override
  public String toString() {
    return "GuardedUsageStore[" + description + "]";
  }
}
