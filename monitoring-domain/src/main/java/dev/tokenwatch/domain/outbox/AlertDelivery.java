package dev.tokenwatch.domain.outbox;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.port.AlertOutbox;
import dev.tokenwatch.domain.port.AlertSink;
import dev.tokenwatch.domain.port.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Delivers alerts from the store's outbox to the sinks, at least once: the alerts this process
 * claimed at once (to local sinks on the tracking thread, to {@link AlertSink#remote() remote} ones
 * on a worker), then failed ones again with backoff ({@link DeliveryPolicy}; no sooner than a sink's
 * {@link DeliveryFailedException} asks), and at start those
 * that other processes left (failed, or killed before delivering). One daemon worker thread
 * delivers in the background, one alert at a time, so a slow sink never blocks a tracking call; it
 * stops when nothing is left to do. Each entry is taken with a lease before delivery, so several processes retrying one
 * outbox deliver each alert once (unless a taker dies after delivering and before marking it; the
 * alert's id lets the receiver drop that repeat). Thread-safe.
 */
public final class AlertDelivery {

  private static final Logger LOG = LogManager.getLogger(AlertDelivery.class);
  private static final int BATCH = 100;
  private static final int MAX_PROBLEM = 500;

  /**
   * What was left undelivered.
   *
   * @param undelivered alerts this process raised or took and has not delivered yet (each counted
   *     once per sink); they stay in the outbox for a later process
   * @param lastProblem the last delivery failure this process saw, or "" for none
   */
  public record Backlog(int undelivered, String lastProblem) {}

  private final Map<String, AlertSink> sinks;
  private final Set<String> names;
  private final AlertOutbox outbox;
  private final Clock clock;
  private final DeliveryPolicy policy;
  private final Object lock = new Object();
  private final ArrayDeque<PendingAlert> inHand = new ArrayDeque<>();
  /** Entries this process failed to deliver, by id and sink, with when they are due again. */
  private final Map<String, Instant> retries = new HashMap<>();
  private Thread worker;
  private boolean stopped;
  private boolean delivering;
  /** The entry the worker delivers while {@code delivering}. */
  private PendingAlert inFlight;
  private String lastProblem = "";

  /**
   * Delivery to {@code sinks} (by their {@link AlertSink#name() names}; a repeated name gets "#2",
   * "#3"...) from {@code outbox}.
   */
  public AlertDelivery(List<? extends AlertSink> sinks, AlertOutbox outbox, Clock clock, DeliveryPolicy policy) {
    Map<String, AlertSink> named = new LinkedHashMap<>();
    for (AlertSink sink : sinks) {
      String given = Objects.requireNonNull(sink, "sink").name();
      String name = given == null || given.isBlank() ? sink.getClass().getName() : given;
      String unique = name;
      for (int n = 2; named.containsKey(unique); n++) {
        unique = name + '#' + n;
      }
      named.put(unique, sink);
    }
    this.sinks = Collections.unmodifiableMap(named);
    this.names = Collections.unmodifiableSet(new LinkedHashSet<>(named.keySet()));
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** The names under which alerts for the sinks wait in the outbox, in the sinks' order. */
  public List<String> sinkNames() {
    return List.copyOf(names);
  }

  /** The sinks by name. */
  public Map<String, AlertSink> sinks() {
    return sinks;
  }

  /** What a claim of {@code alert} queues: one entry per sink, leased to this process. */
  public AlertClaim claimFor(Alert alert) {
    return new AlertClaim(alert, List.copyOf(names), alert.timestamp().plus(policy.lease()));
  }

  /**
   * Delivers the entries of {@code claim}, which this process won: to local sinks now, on the calling
   * thread; to {@link AlertSink#remote() remote} ones as soon as the worker gets to them.
   */
  public void claimed(AlertClaim claim) {
    for (PendingAlert entry : claim.entries()) {
      if (sinks.get(entry.sink()).remote()) {
        synchronized (lock) {
          inHand.add(entry);
          startWorker();
        }
      } else {
        deliver(entry);
      }
    }
  }

  /**
   * Takes what is due in the outbox for these sinks (left by this or another process) and hands it to
   * the worker. Called when a tracker is built, so that every process delivers what others left.
   *
   * @return how many entries were taken
   */
  public int takeDue() {
    return takeDue(Set.of());
  }

  /** Takes what is due and, in the same step as handing it over, forgets the retries {@code dueRetries}. */
  private int takeDue(Set<String> dueRetries) {
    List<PendingAlert> taken = List.of();
    if (!names.isEmpty()) {
      Instant now = clock.now();
      try {
        taken = outbox.takeDue(names, now, now.plus(policy.lease()), BATCH);
      } catch (RuntimeException e) {
        LOG.warn("Could not read the alert outbox; undelivered alerts are tried again later: {}", e.getMessage(), e);
      }
    }
    synchronized (lock) {
      // counted as this process's backlog until here, so await never sees them nowhere
      retries.keySet().removeAll(dueRetries);
      inHand.addAll(taken);
      if (!taken.isEmpty()) {
        startWorker();
      }
    }
    return taken.size();
  }

  /**
   * Waits up to {@code timeout} for this process's alerts to be delivered (a retry due after the
   * deadline is not waited for).
   *
   * @return what is left; it stays in the outbox
   */
  public Backlog await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        long remaining = deadline - System.nanoTime();
        Instant horizon = clock.now().plusNanos(Math.max(remaining, 0));
        boolean retryInTime = retries.values().stream().anyMatch(t -> !t.isAfter(horizon));
        if (remaining <= 0 || (inHand.isEmpty() && !delivering && !retryInTime)) {
          // a failed entry is a retry before the worker is done with it (logging can be slow): count it once
          boolean inFlightUncounted = delivering && !retries.containsKey(key(inFlight));
          return new Backlog(inHand.size() + (inFlightUncounted ? 1 : 0) + retries.size(), lastProblem);
        }
        TimeUnit.NANOSECONDS.timedWait(lock, remaining);
      }
    }
  }

  /**
   * Stops the worker (after its current delivery); what it has not delivered stays in the outbox,
   * and alerts claimed later are only queued there. Waits up to a second for the worker to end.
   */
  public void stop() throws InterruptedException {
    Thread running;
    synchronized (lock) {
      stopped = true;
      running = worker;
      lock.notifyAll();
    }
    if (running != null && running != Thread.currentThread()) {
      running.join(1_000);
    }
  }

  private void startWorker() {
    if (worker == null && !stopped) {
      worker = new Thread(this::work, "tokenwatch-alert-delivery");
      // daemon: an embedding application need not close anything; the CLI awaits before it exits
      worker.setDaemon(true);
      worker.start();
    }
  }

  private void work() {
    try {
      PendingAlert entry;
      while ((entry = next()) != null) {
        deliver(entry);
      }
    } catch (InterruptedException e) {
      synchronized (lock) {
        worker = null;
        delivering = false;
        lock.notifyAll();
      }
    }
  }

  /** The next entry to deliver, waiting for due retries; null (and the worker gone) when idle. */
  private PendingAlert next() throws InterruptedException {
    while (true) {
      Set<String> due;
      synchronized (lock) {
        delivering = false;
        lock.notifyAll();
        if (stopped) {
          worker = null;
          return null;
        }
        if (!inHand.isEmpty()) {
          delivering = true;
          inFlight = inHand.poll();
          return inFlight;
        }
        Instant wake = retries.values().stream().min(Instant::compareTo).orElse(null);
        if (wake == null) {
          worker = null;
          return null;
        }
        Instant now = clock.now();
        long millis = Duration.between(now, wake).toMillis();
        if (millis > 0) {
          lock.wait(millis);
          continue;
        }
        due = new HashSet<>();
        for (Map.Entry<String, Instant> retry : retries.entrySet()) {
          if (!retry.getValue().isAfter(now)) {
            due.add(retry.getKey());
          }
        }
      }
      // what is due now: this process's retries unless another process took them first, and others'
      takeDue(due);
    }
  }

  private void deliver(PendingAlert entry) {
    AlertSink sink = sinks.get(entry.sink());
    Alert alert = entry.alert();
    Optional<String> problem;
    Duration retryAfter = Duration.ZERO;
    try {
      problem = sink.deliverNow(alert);
    } catch (DeliveryFailedException e) {
      problem = Optional.of(e.getMessage());
      retryAfter = e.retryAfter().orElse(Duration.ZERO);
    } catch (RuntimeException e) {
      problem = Optional.of(e.toString());
    }
    // kept in the outbox with each retry: a sink quoting a whole answer must not grow the store by it
    problem = problem.map(p -> p.length() <= MAX_PROBLEM ? p : p.substring(0, MAX_PROBLEM) + "…");
    try {
      if (problem.isEmpty()) {
        outbox.delivered(alert.id(), entry.sink());
        if (entry.attempts() > 1) {
          LOG.info("Alert {} of budget '{}' delivered to {} on attempt {}", alert.id(), alert.budgetName(),
              entry.sink(), entry.attempts());
        }
        return;
      }
      synchronized (lock) {
        lastProblem = entry.sink() + ": " + problem.get();
      }
      Instant now = clock.now();
      if (!now.isBefore(entry.queuedAt().plus(policy.giveUpAfter()))) {
        outbox.giveUp(alert.id(), entry.sink(), problem.get());
        LOG.error("Gave up delivering alert {} to {} after {} attempts since {} ({}): {}. The alert: {}", alert.id(),
            entry.sink(), entry.attempts(), entry.queuedAt(), policy.giveUpAfter(), problem.get(), alert.message());
        return;
      }
      Instant next = now.plus(policy.backoff(entry.attempts(), retryAfter));
      outbox.retryAt(alert.id(), entry.sink(), next, problem.get());
      synchronized (lock) {
        retries.put(key(entry), next);
        startWorker();
      }
      LOG.warn("Alert {} of budget '{}' not delivered to {} (attempt {}): {}; next attempt at {}", alert.id(),
          alert.budgetName(), entry.sink(), entry.attempts(), problem.get(), next);
    } catch (RuntimeException e) {
      // the entry stays taken in the outbox: once its lease ends, it is delivered again (at least once)
      LOG.error("Could not record the delivery of alert {} to {} in the outbox; it may be delivered again: {}",
          alert.id(), entry.sink(), e.getMessage(), e);
    }
  }

  private static String key(PendingAlert entry) {
    return entry.alert().id() + '\n' + entry.sink();
  }

  /** Entries of the outbox not delivered, given up ones included. */
  public List<PendingAlert> undelivered() {
    return new ArrayList<>(outbox.undelivered());
  }
}
