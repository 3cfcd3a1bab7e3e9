package dev.tokenwatch.notifier.slack;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertLevel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded first-in-first-out queue between {@code deliver} and the worker. When full, the oldest
 * alert of the lowest level present (counting the new one) is dropped: INFO before WARNING. CRITICAL
 * alerts are never dropped; when the queue holds only CRITICAL alerts a new CRITICAL one is still
 * accepted and the queue grows past its capacity. That growth is bounded in practice, since each
 * budget raises each threshold's alert once per period, and it means {@code deliver} never blocks.
 *
 * <p>One deque per level, each in arrival order, so every operation is O(1): taking compares the
 * sequence numbers of the three heads.
 */
final class AlertQueue {

  /** What became of an offered alert. */
  record Offer(boolean accepted, Alert dropped) {}

  private record Entry(long sequence, Alert alert) {}

  private static final AlertLevel[] LEVELS = AlertLevel.values();

  private final int capacity;
  private final List<ArrayDeque<Entry>> byLevel = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private long nextSequence;
  private int size;
  private boolean closed;

  AlertQueue(int capacity) {
    this.capacity = capacity;
    for (int i = 0; i < LEVELS.length; i++) {
      byLevel.add(new ArrayDeque<>());
    }
  }

  /** Adds {@code alert} unless closed, dropping one alert if full; never blocks for long. */
  Offer offer(Alert alert) {
    lock.lock();
    try {
      if (closed) {
        return new Offer(false, null);
      }
      Alert dropped = null;
      if (size >= capacity) {
        int lowest = lowestNonEmptyLevel();
        if (lowest >= 0 && lowest <= alert.level().ordinal() && LEVELS[lowest] != AlertLevel.CRITICAL) {
          dropped = byLevel.get(lowest).pollFirst().alert();
          size--;
        } else if (alert.level() != AlertLevel.CRITICAL) {
          return new Offer(false, alert);
        }
      }
      byLevel.get(alert.level().ordinal()).addLast(new Entry(nextSequence++, alert));
      size++;
      notEmpty.signal();
      return new Offer(true, dropped);
    } finally {
      lock.unlock();
    }
  }

  /** The oldest alert, waiting for one; null once the queue is closed and empty. */
  Alert take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (size == 0) {
        if (closed) {
          return null;
        }
        notEmpty.await();
      }
      ArrayDeque<Entry> oldest = null;
      for (ArrayDeque<Entry> deque : byLevel) {
        Entry head = deque.peekFirst();
        if (head != null && (oldest == null || head.sequence() < oldest.peekFirst().sequence())) {
          oldest = deque;
        }
      }
      size--;
      return oldest.pollFirst().alert();
    } finally {
      lock.unlock();
    }
  }

  /** Accepts nothing more; {@link #take()} returns what is left, then null. */
  void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Removes and returns every queued alert, oldest first. */
  List<Alert> drain() {
    lock.lock();
    try {
      List<Entry> all = new ArrayList<>(size);
      byLevel.forEach(all::addAll);
      byLevel.forEach(ArrayDeque::clear);
      size = 0;
      all.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
      return all.stream().map(Entry::alert).toList();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  private int lowestNonEmptyLevel() {
    for (int i = 0; i < LEVELS.length; i++) {
      if (!byLevel.get(i).isEmpty()) {
        return i;
      }
    }
    return -1;
  }
}
