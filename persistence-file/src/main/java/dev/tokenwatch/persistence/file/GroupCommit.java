package dev.tokenwatch.persistence.file;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: concurrent write operations share one append and one force. A caller queues its
 * operation; if the in-process lock is free it becomes the leader and hands the whole queue to the
 * {@link Committer}, else it parks. Every holder of the lock, after releasing it, wakes the callers
 * whose operations it finished and the caller at the head of the queue (the next leader), so
 * followers neither spin nor queue on the lock one after another just to learn that their
 * operation is already written.
 *
 * <p>Commit delay, as databases do it: if the last group held several operations, their callers are
 * about to queue their next ones; the leader waits (holding the lock, up to half the last commit's
 * duration, at most 1 ms) until as many are queued, so they share the next force instead of
 * splitting into a group that forces now and one that waits for it. A lone writer never waits.
 *
 * <p>A caller's pending interrupt does not abort its write (a {@code FileChannel} used by an
 * interrupted thread closes itself, which would break the store for every caller): it is cleared
 * while the store works and restored before the call returns.
 */
final class GroupCommit {

  private static final long MAX_GATHER_NANOS = 1_000_000;

  /** Applies and durably writes a group of operations; runs with {@link #lock} held. */
  @FunctionalInterface
  interface Committer {
    /** Sets each operation's result (or failure) and marks it done; must not throw. */
    void commit(List<Op<?>> group);
  }

  /** One write operation, created by the calling thread, which parks until a leader has written it. */
  abstract static class Op<T> {
    final Thread caller = Thread.currentThread();
    T result;
    RuntimeException failure;
    /** Set (after result or failure) once the operation is durable or has failed. */
    volatile boolean done;
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentLinkedQueue<Op<?>> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Committer committer;
  /** A leader waiting for the callers of the previous group to queue again; null if none. */
  private volatile Thread gatheringLeader;
  private volatile int gatherTarget = Integer.MAX_VALUE;
  private int lastGroupSize;
  private long lastCommitNanos;
  private RuntimeException closed;

  GroupCommit(Committer committer) {
    this.committer = committer;
  }

  /** The in-process lock; readers take it too (then call {@link #released()} after unlocking). */
  ReentrantLock lock() {
    return lock;
  }

  /** Called after every release of {@link #lock} by a reader: the oldest queued caller leads next. */
  void released() {
    Op<?> next = pending.peek();
    if (next != null) {
      LockSupport.unpark(next.caller);
    }
  }

  /** Fails every queued and later operation with {@code failure}; call with the lock held. */
  List<Op<?>> close(RuntimeException failure) {
    closed = failure;
    return failPending();
  }

  /** Queues {@code op}, waits until it is durable (leading a group if the lock is free) and returns its result. */
  <T> T submit(Op<T> op) {
    pending.add(op);
    // Count first, then look for a gathering leader: it publishes itself before checking the count,
    // so one of the two always sees the other.
    int queuedNow = queued.incrementAndGet();
    Thread leader = gatheringLeader;
    if (leader != null && queuedNow >= gatherTarget) {
      LockSupport.unpark(leader);
    }
    boolean interrupted = false;
    while (!op.done) {
      interrupted |= Thread.interrupted();
      if (lock.tryLock()) {
        List<Op<?>> finished;
        try {
          if (closed != null) {
            finished = failPending();
          } else {
            interrupted |= gatherSiblings();
            finished = commitPending();
          }
        } finally {
          lock.unlock();
          released();
        }
        wakeCallers(finished);
      } else {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (op.failure != null) {
      throw op.failure;
    }
    return op.result;
  }

  private boolean gatherSiblings() {
    int expected = lastGroupSize;
    if (expected < 2 || queued.get() >= expected) {
      return false;
    }
    long deadline = System.nanoTime() + Math.min(lastCommitNanos / 2, MAX_GATHER_NANOS);
    gatherTarget = expected;
    gatheringLeader = Thread.currentThread();
    try {
      while (queued.get() < expected) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          return true; // stop waiting, write now; the caller restores the interrupt
        }
      }
      return false;
    } finally {
      gatheringLeader = null;
      gatherTarget = Integer.MAX_VALUE;
    }
  }

  private List<Op<?>> commitPending() {
    List<Op<?>> group = new ArrayList<>();
    for (Op<?> op = pending.poll(); op != null; op = pending.poll()) {
      queued.decrementAndGet();
      group.add(op);
    }
    if (group.isEmpty()) {
      return group;
    }
    lastGroupSize = group.size();
    long start = System.nanoTime();
    try {
      committer.commit(group);
    } catch (RuntimeException | Error e) {
      RuntimeException failure = e instanceof RuntimeException r ? r
          : new IllegalStateException("committing " + group.size() + " operations failed: " + e, e);
      for (Op<?> op : group) {
        if (!op.done) {
          op.failure = failure;
          op.done = true;
        }
      }
      if (e instanceof Error error) {
        wakeCallers(group);
        throw error;
      }
    }
    lastCommitNanos = System.nanoTime() - start;
    return group;
  }

  private List<Op<?>> failPending() {
    List<Op<?>> failed = new ArrayList<>();
    for (Op<?> op = pending.poll(); op != null; op = pending.poll()) {
      queued.decrementAndGet();
      op.failure = closed;
      op.done = true;
      failed.add(op);
    }
    return failed;
  }

  /** Wakes the callers of {@code finished} (other than the current thread). */
  static void wakeCallers(List<Op<?>> finished) {
    Thread self = Thread.currentThread();
    for (Op<?> op : finished) {
      if (op.caller != self) {
        LockSupport.unpark(op.caller);
      }
    }
  }
}
