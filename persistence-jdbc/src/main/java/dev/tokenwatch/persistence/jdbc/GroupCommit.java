package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.reservation.CommitResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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

  /**
   * Applies calls in order in one transaction and returns each one's result (for a plain record,
   * {@code held} is false).
   */
  @FunctionalInterface
  interface Writer {
    List<CommitResult> write(Connection connection, List<RecordPlan.Call> calls) throws SQLException;
  }

  private final Transactions transactions;
  private final Writer writer;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean leading;

  GroupCommit(Transactions transactions, Writer writer) {
    this.transactions = transactions;
    this.writer = writer;
  }

  /** One caller's operation and, once its group ran, its outcome. */
  private static final class Pending {
    final String description;
    final RecordPlan.Call operation;
    final int events;
    /** Signalled when this operation is done, or when it is first in the queue and no group is running. */
    final Condition wakeUp;
    boolean done;
    /** The thread that ran the operation: exceptions from another thread are wrapped for the caller's trace. */
    Thread ranIn;
    CommitResult result;
    RuntimeException failure;
    Error error;

    Pending(String description, RecordPlan.Call operation, int events, Condition wakeUp) {
      this.description = description;
      this.operation = operation;
      this.events = events;
      this.wakeUp = wakeUp;
    }
  }

  /** Runs {@code operation} (of {@code events} events) in a group transaction and returns its own result. */
  CommitResult record(String description, RecordPlan.Call operation, int events) {
    Pending mine = new Pending(description, operation, events, lock.newCondition());
    List<Pending> group;
    lock.lock();
    try {
      queue.add(mine);
      while (leading && !mine.done) {
        // Woken only when its own group finished or when it is first in line to lead: no herd of
        // waiters waking (and taking the CPU from the leader) at every commit.
        mine.wakeUp.awaitUninterruptibly();
      }
      if (!mine.done) {
        leading = true;
        group = takeGroup();
      } else {
        group = List.of();
      }
    } finally {
      lock.unlock();
    }
    if (!group.isEmpty()) {
      try {
        run(group);
      } finally {
        lock.lock();
        try {
          leading = false;
          for (Pending p : group) {
            p.wakeUp.signal();
          }
          Pending next = queue.peek();
          if (next != null) {
            next.wakeUp.signal();
          }
        } finally {
          lock.unlock();
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
    List<RecordPlan.Call> operations = new ArrayList<>(group.size());
    for (Pending p : group) {
      operations.add(p.operation);
    }
    try {
      List<CommitResult> results = transactions.write(
          "recording the events of " + group.size() + " concurrent calls (" + group.get(0).description + ", ...)",
          connection -> writer.write(connection, operations));
      lock.lock();
      try {
        for (int i = 0; i < group.size(); i++) {
          group.get(i).result = results.get(i);
          group.get(i).done = true;
          group.get(i).ranIn = Thread.currentThread();
        }
      } finally {
        lock.unlock();
      }
    } catch (Transactions.CommitOutcomeUnknownException e) {
      lock.lock();
      try {
        for (Pending p : group) {
          p.failure = e;
          p.done = true;
          p.ranIn = Thread.currentThread();
        }
      } finally {
        lock.unlock();
      }
    } catch (RuntimeException e) {
      // Nothing was committed: give each caller the outcome of its own operation alone.
      for (Pending p : group) {
        runAlone(p);
      }
    } catch (Error e) {
      lock.lock();
      try {
        for (Pending p : group) {
          p.error = e;
          p.done = true;
          p.ranIn = Thread.currentThread();
        }
      } finally {
        lock.unlock();
      }
      throw e;
    }
  }

  private void runAlone(Pending p) {
    CommitResult result = null;
    RuntimeException failure = null;
    Error error = null;
    try {
      result = transactions.write(p.description, connection -> writer.write(connection, List.of(p.operation)).get(0));
    } catch (RuntimeException e) {
      failure = e;
    } catch (Error e) {
      error = e;
    }
    lock.lock();
    try {
      p.result = result;
      p.failure = failure;
      p.error = error;
      p.done = true;
      p.ranIn = Thread.currentThread();
    } finally {
      lock.unlock();
    }
  }

  /** The caller's result, or its failure rethrown in the caller's thread (the cause keeps the leader's trace). */
  private CommitResult outcome(Pending p) {
    lock.lock();
    try {
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
    } finally {
      lock.unlock();
    }
  }
}
