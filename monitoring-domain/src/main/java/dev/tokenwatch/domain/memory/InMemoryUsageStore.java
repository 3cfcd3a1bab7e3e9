package dev.tokenwatch.domain.memory;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.RequestRule;
import dev.tokenwatch.domain.ledger.UsageAggregator;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.outbox.OutboxBook;
import dev.tokenwatch.domain.outbox.PendingAlert;
import dev.tokenwatch.domain.port.AlertOutbox;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.domain.reservation.CommitResult;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationBook;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * A {@link UsageStore} in memory, for tests and for embedding where usage need not survive the
 * process. It keeps every event (answers are exact to the event), in columns of primitives of about
 * 70 bytes an event plus its request id ({@link EventColumns}), and answers queries by scanning
 * them; a process that records millions of events a day should keep them in a durable store or drop
 * old ones ({@link #dropBefore}). Thread-safe: one lock guards the whole store, so every operation
 * is atomic.
 */
public final class InMemoryUsageStore implements UsageStore {

  private final EventColumns events = new EventColumns();
  /** The position of the counted event of each request id. */
  private final Map<String, Integer> byRequestId = new HashMap<>();
  private final Map<BudgetWindow, Counts> windowTotals = new HashMap<>();
  /** The kept windows by their end: a batch is charged to those ending after its earliest event. */
  private final TreeMap<Instant, List<BudgetWindow>> keptByEnd = new TreeMap<>();
  private final Map<BudgetWindow, TreeSet<Double>> claims = new HashMap<>();
  private final ReservationBook reservations = new ReservationBook();
  /** {@link #keptTotals} as the reservation book asks for it (made once, not on every reserve). */
  private final Function<BudgetWindow, Counts> keptTotalsOf = this::keptTotals;
  private final OutboxBook outbox = new OutboxBook();
  private final AlertOutbox outboxView = new Outbox();
  private Instant retainedFrom;

  @Override
  public synchronized RecordResult record(List<TokenUsageEvent> batch, List<BudgetWindow> named) {
    List<BudgetWindow> windows = chargedWindows(batch, named);
    Counts[] totals = new Counts[windows.size()];
    Counts[] deltas = new Counts[windows.size()];
    for (int w = 0; w < totals.length; w++) {
      totals[w] = keptTotals(windows.get(w));
      deltas[w] = Counts.ZERO;
    }
    int recorded = 0;
    int replaced = 0;
    int duplicates = 0;
    int beforeRetention = 0;
    for (TokenUsageEvent event : batch) {
      if (retainedFrom != null && event.timestamp().isBefore(retainedFrom)) {
        beforeRetention++;
        continue;
      }
      Integer earlier = event.requestId() == null ? null : byRequestId.get(event.requestId());
      switch (RequestRule.decide(earlier == null ? -1 : events.totalTokens(earlier), event)) {
        case DUPLICATE -> {
          duplicates++;
          continue;
        }
        case REPLACE -> {
          TokenUsageEvent old = events.event(earlier);
          events.remove(earlier);
          Counts removed = Counts.of(old).negated();
          for (int w = 0; w < totals.length; w++) {
            if (windows.get(w).charges(old)) {
              totals[w] = totals[w].plus(removed);
              deltas[w] = deltas[w].plus(removed);
            }
          }
          replaced++;
        }
        case RECORD -> recorded++;
      }
      int at = events.add(event);
      if (event.requestId() != null) {
        byRequestId.put(event.requestId(), at);
      }
      Counts added = null;
      for (int w = 0; w < totals.length; w++) {
        if (windows.get(w).charges(event)) {
          added = added == null ? Counts.of(event) : added;
          totals[w] = totals[w].plus(added);
          deltas[w] = deltas[w] == Counts.ZERO ? added : deltas[w].plus(added);
        }
      }
    }
    for (int w = 0; w < totals.length; w++) {
      windowTotals.put(windows.get(w), totals[w]);
    }
    compactIfWorthIt();
    int n = named.size();
    return n == totals.length
        ? new RecordResult(recorded, replaced, duplicates, beforeRetention, List.of(totals), List.of(deltas))
        : new RecordResult(recorded, replaced, duplicates, beforeRetention, List.of(totals).subList(0, n),
            List.of(deltas).subList(0, n));
  }

  /**
   * The named windows, then every other kept window the batch may charge: those ending after its
   * earliest event (or after the earliest of the records it may replace, which may lie anywhere).
   */
  private List<BudgetWindow> chargedWindows(List<TokenUsageEvent> batch, List<BudgetWindow> named) {
    if (windowTotals.size() <= named.size() && keepsAll(named)) {
      return named; // every kept window is named: none other to charge
    }
    Instant earliest = null;
    for (TokenUsageEvent event : batch) {
      Instant t = event.timestamp();
      if (event.requestId() != null) {
        Integer earlier = byRequestId.get(event.requestId());
        if (earlier != null && events.timestamp(earlier).isBefore(t)) {
          t = events.timestamp(earlier);
        }
      }
      earliest = earliest == null || t.isBefore(earliest) ? t : earliest;
    }
    if (earliest == null) {
      return named;
    }
    List<BudgetWindow> windows = null;
    for (List<BudgetWindow> ending : keptByEnd.tailMap(earliest, false).values()) {
      for (BudgetWindow kept : ending) {
        if (!named.contains(kept)) {
          windows = windows == null ? new ArrayList<>(named) : windows;
          windows.add(kept);
        }
      }
    }
    return windows == null ? named : windows;
  }

  private boolean keepsAll(List<BudgetWindow> windows) {
    for (BudgetWindow window : windows) {
      if (!windowTotals.containsKey(window)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public synchronized ReserveOutcome reserve(ReservationRequest request, Instant now) {
    return reservations.reserve(request, now, keptTotalsOf);
  }

  /** The kept totals of {@code window}, keeping it from the ledger's figure if it is new. */
  private Counts keptTotals(BudgetWindow window) {
    Counts kept = windowTotals.get(window);
    if (kept == null) {
      kept = scan(window);
      windowTotals.put(window, kept);
      keptByEnd.computeIfAbsent(window.end(), end -> new ArrayList<>()).add(window);
    }
    return kept;
  }

  @Override
  public synchronized CommitResult commit(String reservationId, List<TokenUsageEvent> events,
      List<BudgetWindow> windows, Instant now) {
    RecordResult recorded = record(events, windows);
    return new CommitResult(recorded, reservations.settle(reservationId, now));
  }

  @Override
  public synchronized boolean release(String reservationId, Instant now) {
    return reservations.settle(reservationId, now);
  }

  @Override
  public synchronized OpenReservations reserved(BudgetWindow window, BudgetUnit unit, Instant now) {
    return reservations.held(window, unit, now);
  }

  @Override
  public synchronized boolean keepsWindow(BudgetWindow window) {
    return windowTotals.containsKey(window);
  }

  @Override
  public synchronized Counts windowTotals(BudgetWindow window) {
    Counts kept = windowTotals.get(window);
    return kept != null ? kept : scan(window);
  }

  private Counts scan(BudgetWindow window) {
    Counts sum = Counts.ZERO;
    for (int at = 0; at < events.size(); at++) {
      if (events.live(at) && charges(window, at)) {
        sum = sum.plus(events.counts(at));
      }
    }
    return sum;
  }

  private boolean charges(BudgetWindow window, int at) {
    EventColumns.Dims d = events.dims(at);
    return window.contains(events.timestamp(at)) && window.scope().matches(d.model(), d.project(), d.session(), d.tags());
  }

  @Override
  public synchronized boolean claimThreshold(BudgetWindow window, double threshold, AlertClaim claim) {
    TreeSet<Double> claimed = claims.computeIfAbsent(window, w -> new TreeSet<>());
    if (!claimed.isEmpty() && claimed.last() >= threshold) {
      return false;
    }
    claimed.add(threshold);
    if (claim != null) {
      outbox.queue(claim);
    }
    return true;
  }

  @Override
  public AlertOutbox outbox() {
    return outboxView;
  }

  /** The outbox, serialised on the store like everything else. */
  private final class Outbox implements AlertOutbox {
    @Override
    public List<PendingAlert> takeDue(Set<String> sinks, Instant now, Instant leaseUntil, int max) {
      synchronized (InMemoryUsageStore.this) {
        return outbox.takeDue(sinks, now, leaseUntil, max);
      }
    }

    @Override
    public void delivered(String alertId, String sink) {
      synchronized (InMemoryUsageStore.this) {
        outbox.delivered(alertId, sink);
      }
    }

    @Override
    public void retryAt(String alertId, String sink, Instant nextAttempt, String problem) {
      synchronized (InMemoryUsageStore.this) {
        outbox.retryAt(alertId, sink, nextAttempt, problem);
      }
    }

    @Override
    public void giveUp(String alertId, String sink, String problem) {
      synchronized (InMemoryUsageStore.this) {
        outbox.giveUp(alertId, sink, problem);
      }
    }

    @Override
    public List<PendingAlert> undelivered() {
      synchronized (InMemoryUsageStore.this) {
        return outbox.undelivered();
      }
    }
  }

  @Override
  public synchronized SortedSet<Double> claimedThresholds(BudgetWindow window) {
    TreeSet<Double> claimed = claims.get(window);
    return claimed == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(claimed));
  }

  @Override
  public synchronized UsageAnswer query(UsageQuery query) {
    UsageAggregator aggregator = new UsageAggregator(query);
    for (int at = 0; at < events.size(); at++) {
      if (events.live(at)) {
        EventColumns.Dims d = events.dims(at);
        aggregator.offer(events.timestamp(at), d.model(), d.project(), d.session(), d.tags(), events.counts(at));
      }
    }
    boolean before = retainedFrom != null && (query.from() == null || query.from().isBefore(retainedFrom));
    return new UsageAnswer(aggregator.rows(), retainedFrom, before);
  }

  @Override
  public synchronized List<TokenUsageEvent> history(UsageFilter filter, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    // the latest by timestamp, ties by the order of writing: a heap holding the `limit` latest
    Comparator<Integer> order = Comparator.comparing(events::timestamp).thenComparing(Integer::intValue);
    PriorityQueue<Integer> latest = new PriorityQueue<>(order);
    for (int at = 0; at < events.size(); at++) {
      EventColumns.Dims d = events.live(at) ? events.dims(at) : null;
      if (d != null && filter.matches(d.model(), d.project(), d.session(), d.tags())) {
        latest.add(at);
        if (latest.size() > limit) {
          latest.poll();
        }
      }
    }
    List<Integer> sorted = new ArrayList<>(latest);
    sorted.sort(order);
    return sorted.stream().map(events::event).toList();
  }

  @Override
  public synchronized void resetWindow(BudgetWindow window) {
    removeEvents(at -> charges(window, at));
    claims.remove(window);
    windowTotals.keySet().removeIf(kept -> kept.overlaps(window.start(), window.end()));
    keptByEnd.values().forEach(ending -> ending.removeIf(kept -> !windowTotals.containsKey(kept)));
    keptByEnd.values().removeIf(List::isEmpty);
  }

  @Override
  public synchronized void dropBefore(Instant cutoff) {
    if (retainedFrom != null && !cutoff.isAfter(retainedFrom)) {
      return;
    }
    removeEvents(at -> events.before(at, cutoff));
    retainedFrom = cutoff;
  }

  @Override
  public synchronized Instant retainedFrom() {
    return retainedFrom;
  }

  private void removeEvents(IntPredicate which) {
    for (int at = 0; at < events.size(); at++) {
      if (events.live(at) && which.test(at)) {
        String requestId = events.requestId(at);
        if (requestId != null) {
          byRequestId.remove(requestId);
        }
        events.remove(at);
      }
    }
    compactIfWorthIt();
  }

  private void compactIfWorthIt() {
    if (events.wantsCompaction()) {
      int[] moved = events.compact();
      byRequestId.replaceAll((id, at) -> moved[at]);
    }
  }

  @Override
  public synchronized String toString() {
    return "InMemoryUsageStore[" + events + "]";
  }
}
