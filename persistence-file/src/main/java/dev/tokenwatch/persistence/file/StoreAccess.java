package dev.tokenwatch.persistence.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The ledger under the locks: writes group-committed (one catch-up, every queued operation, one
 * append and one force per group, then compaction when due), reads caught up. Closing fails every
 * queued and later call.
 */
final class StoreAccess {

  private static final Logger LOG = LogManager.getLogger(StoreAccess.class);

  private final Path directory;
  private final LedgerFiles files;
  private final long compactionBytes;
  private final int compactionEvents;
  private final GroupCommit commits = new GroupCommit(this::commit);
  /** The records of the group being committed (guarded by the in-process lock). */
  private final BinaryOut journal = new BinaryOut(1 << 16);
  private boolean closed;

  /** Opens {@code files}: loads the current generation and replays its journal (closing them on failure). */
  StoreAccess(LedgerFiles files, long compactionBytes, int compactionEvents) {
    this.directory = files.directory();
    this.files = files;
    this.compactionBytes = compactionBytes;
    this.compactionEvents = compactionEvents;
    try {
      read(ledger -> null);
    } catch (RuntimeException e) {
      try {
        files.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /**
   * A write: {@code apply} changes the caught-up ledger and appends its journal records to the
   * buffer it is given; it returns once they are durable.
   */
  <T> T write(BiFunction<Ledger, BinaryOut, T> apply) {
    return commits.submit(new Write<>(apply, true));
  }

  /**
   * A write whose records need not survive a crash of the machine (reservations: they matter only
   * while the processes that made them live): appended, visible to every process at once, but
   * forced only if another operation of the same group needs it. Returns once appended.
   */
  <T> T writeUnforced(BiFunction<Ledger, BinaryOut, T> apply) {
    return commits.submit(new Write<>(apply, false));
  }

  private static final class Write<T> extends GroupCommit.Op<T> {
    final BiFunction<Ledger, BinaryOut, T> apply;
    final boolean force;

    Write(BiFunction<Ledger, BinaryOut, T> apply, boolean force) {
      this.apply = apply;
      this.force = force;
    }

    void run(Ledger ledger, BinaryOut journal) {
      result = apply.apply(ledger, journal);
    }
  }

  /** The committer of every group. */
  private void commit(List<GroupCommit.Op<?>> group) {
    boolean locked = false;
    try {
      files.lock();
      locked = true;
      Ledger ledger = files.upToDate();
      journal.reset();
      boolean force = false;
      for (GroupCommit.Op<?> op : group) {
        Write<?> write = (Write<?>) op;
        int before = journal.size();
        write.run(ledger, journal);
        force |= write.force && journal.size() > before;
      }
      if (journal.size() > 0) {
        files.append(journal, force);
      }
      for (GroupCommit.Op<?> op : group) {
        op.done = true;
      }
      compactIfDue(ledger);
    } catch (IOException | RuntimeException e) {
      files.markStale(); // the state may hold operations that did not reach the disk
      RuntimeException failure = e instanceof IOException io
          ? new UncheckedIOException("writing to " + directory + ": " + e, io) : (RuntimeException) e;
      for (GroupCommit.Op<?> op : group) {
        if (!op.done) {
          op.failure = failure;
          op.done = true;
        }
      }
    } finally {
      if (locked) {
        files.unlock();
      }
    }
  }

  private void compactIfDue(Ledger ledger) {
    if (ledger.tailSize() < compactionEvents && files.journal().grownBytes() < compactionBytes) {
      return;
    }
    try {
      files.compact();
    } catch (IOException | RuntimeException e) {
      // The group's operations are durable in the (sealed or unsealed) journal; a later operation,
      // here or in another process, completes or retries the compaction.
      files.markStale();
      LOG.error("{}: compaction failed; every acknowledged record is still in the journal, and the next"
          + " operation retries", directory, e);
    }
  }

  /**
   * A read: catches up under both locks, then releases the directory lock and answers from the
   * ledger holding only the in-process lock, so a long query does not hold up other processes (the
   * files it reads are immutable, and stay readable while open even if a compaction deletes them).
   */
  <T> T read(Function<Ledger, T> query) {
    boolean interrupted = Thread.interrupted(); // an interrupt would close the channels, see GroupCommit
    commits.lock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("store " + directory + " is closed");
      }
      Ledger ledger;
      files.lock();
      try {
        ledger = files.upToDate();
      } catch (IOException e) {
        files.markStale();
        throw new UncheckedIOException("reading " + directory + ": " + e, e);
      } catch (RuntimeException e) {
        files.markStale();
        throw e;
      } finally {
        files.unlock();
      }
      return query.apply(ledger);
    } finally {
      commits.lock().unlock();
      commits.released();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Closes the files and gives up the directory lock; idempotent. */
  void close() {
    List<GroupCommit.Op<?>> failed = List.of();
    commits.lock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      failed = commits.close(new IllegalStateException("store " + directory + " is closed"));
      files.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing " + directory, e);
    } finally {
      commits.lock().unlock();
      commits.released();
      GroupCommit.wakeCallers(failed);
    }
  }
}
