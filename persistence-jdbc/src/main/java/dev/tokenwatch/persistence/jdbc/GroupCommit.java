package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.port.RecordResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit for the {@code record} calls of one store instance. A caller queues its operation;
 * if no other caller is running a transaction, it becomes the leader: it takes every queued
 * operation (up to {@link #MAX_GROUP_EVENTS} events), applies them one after the other in one
 * transaction, so each gets exactly the result it would get alone in that order, commits once and
 * hands each caller its result. Callers arriving meanwhile wait and form the next group. A lone
 * caller leads at once, so it never waits for anyone.
 *
 * <p>If a group's transaction fails for a reason other than a lost commit (say, one event's
 * request id is too long), nothing of it was committed and each operation runs again alone, so
 * only the callers whose own operation fails see an exception. If the connection is lost while
 * committing, every caller of the group gets that exception: the outcome is unknown for all.
 */
final class GroupCommit {

  /** A group holds operations until it reaches this many events (a larger single call is its own group). */
  static final int MAX_GROUP_EVENTS = 1_000;

  private final Transactions transactions;
  private final Object lock = new Object();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean leading;

  GroupCommit(Transactions transactions) {
    this.transactions = transactions;
  }

  /** One caller's operation and, once its group ran, its outcome. */
  private static final class Pending {
    final String description;
    final RecordOperation operation;
    final int events;
    boolean done;
    /** The thread that ran the operation: exceptions from another thread are wrapped for the caller's trace. */
    Thread ranIn;
    RecordResult result;
    RuntimeException failure;
    Error error;

    Pending(String description, RecordOperation operation, int events) {
      this.description = description;
      this.operation = operation;
      this.events = events;
    }
  }

  /** Runs {@code operation} (of {@code events} events) in a group transaction and returns its own result. */
  RecordResult record(String description, RecordOperation operation, int events) {
    Pending mine = new Pending(description, operation, events);
    List<Pending> group;
    boolean interrupted = false;
    synchronized (lock) {
      queue.add(mine);
      while (leading && !mine.done) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          // The operation is queued and may already be running: wait for its outcome, keep the flag.
          interrupted = true;
        }
      }
      if (!mine.done) {
        leading = true;
        group = takeGroup();
      } else {
        group = List.of();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!group.isEmpty()) {
      try {
        run(group);
      } finally {
        synchronized (lock) {
          leading = false;
          lock.notifyAll();
        }
      }
    }
    return outcome(mine);
  }

  private List<Pending> takeGroup() {
    List<Pending> group = new ArrayList<>();
    int events = 0;
    while (!queue.isEmpty() && (group.isEmpty() || events + queue.peek().events <= MAX_GROUP_EVENTS)) {
      Pending next = queue.poll();
      events += next.events;
      group.add(next);
    }
    return group;
  }

  private void run(List<Pending> group) {
    if (group.size() == 1) {
      runAlone(group.get(0));
      return;
    }
    try {
      List<RecordResult> results = transactions.run(
          "recording the events of " + group.size() + " concurrent calls (" + group.get(0).description + ", ...)",
          connection -> {
            List<RecordResult> inOrder = new ArrayList<>(group.size());
            for (Pending p : group) {
              inOrder.add(p.operation.run(connection));
            }
            return inOrder;
          });
      synchronized (lock) {
        for (int i = 0; i < group.size(); i++) {
          group.get(i).result = results.get(i);
          group.get(i).done = true;
          group.get(i).ranIn = Thread.currentThread();
        }
      }
    } catch (Transactions.CommitOutcomeUnknownException e) {
      synchronized (lock) {
        for (Pending p : group) {
          p.failure = e;
          p.done = true;
          p.ranIn = Thread.currentThread();
        }
      }
    } catch (RuntimeException e) {
      // Nothing was committed: give each caller the outcome of its own operation alone.
      for (Pending p : group) {
        runAlone(p);
      }
    } catch (Error e) {
      synchronized (lock) {
        for (Pending p : group) {
          p.error = e;
          p.done = true;
          p.ranIn = Thread.currentThread();
        }
      }
      throw e;
    }
  }

  private void runAlone(Pending p) {
    RecordResult result = null;
    RuntimeException failure = null;
    Error error = null;
    try {
      result = transactions.run(p.description, p.operation);
    } catch (RuntimeException e) {
      failure = e;
    } catch (Error e) {
      error = e;
    }
    synchronized (lock) {
      p.result = result;
      p.failure = failure;
      p.error = error;
      p.done = true;
      p.ranIn = Thread.currentThread();
    }
  }

  /** The caller's result, or its failure rethrown in the caller's thread (the cause keeps the leader's trace). */
  private RecordResult outcome(Pending p) {
    synchronized (lock) {
      if (p.error != null) {
        throw p.error;
      }
      if (p.failure == null) {
        return p.result;
      }
      if (p.ranIn != Thread.currentThread() && p.failure instanceof JdbcUsageStoreException) {
        throw new JdbcUsageStoreException(p.failure.getMessage(), p.failure);
      }
      throw p.failure;
    }
  }
}
