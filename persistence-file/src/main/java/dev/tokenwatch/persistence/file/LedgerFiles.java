package dev.tokenwatch.persistence.file;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The store's files as one process sees them: the current generation (manifest, events file, id
 * index) with its journal, loaded into a {@link Ledger} and kept up to date with what other
 * processes append. Every method runs with the directory lock held (see {@link #lock()}); the lock
 * makes each operation a serialised read-modify-write over the whole directory.
 */
final class LedgerFiles implements Closeable {

  private static final Logger LOG = LogManager.getLogger(LedgerFiles.class);

  private final Path directory;
  private final DirectoryLock directoryLock;
  private Manifest manifest;
  private UUID storeId;
  private Ledger ledger;
  private Journal journal;
  /** The in-memory state may differ from the files (after a failed write): reload before use. */
  private boolean stale = true;

  LedgerFiles(Path directory) {
    this.directory = directory;
    DirectoryLayout.prepare(directory);
    DirectoryLayout.refuseOldFormat(directory); // before the lock file could be created in it
    try {
      directoryLock = DirectoryLock.of(directory, DirectoryLayout.LOCK);
    } catch (IOException e) {
      throw new StoreFileException(directory.resolve(DirectoryLayout.LOCK), -1, "cannot open the lock file: " + e, e);
    }
  }

  Path directory() {
    return directory;
  }

  /** Takes the JVM-wide and the OS lock of the directory. */
  void lock() {
    directoryLock.lock();
  }

  void unlock() {
    directoryLock.unlock();
  }

  /** The ledger, caught up with every record appended by anyone (with the lock held). */
  Ledger upToDate() throws IOException {
    if (stale) {
      reload();
    } else {
      catchUp();
    }
    return ledger;
  }

  /** After a failed write the state may hold what never reached the disk: reload before the next use. */
  void markStale() {
    stale = true;
  }

  Journal journal() {
    return journal;
  }

  /** Appends records written for the current journal, forcing them if {@code force}. */
  void append(BinaryOut records, boolean force) throws IOException {
    journal.append(records, force);
  }

  private void reload() throws IOException {
    stale = true;
    DirectoryLayout.ensureStore(directory);
    Manifest read = Manifest.read(directory.resolve(Manifest.NAME));
    UUID id;
    try {
      id = UUID.fromString(read.storeId());
    } catch (IllegalArgumentException e) {
      throw new StoreFileException(directory.resolve(Manifest.NAME), -1, "has an invalid store id. "
          + StoreFiles.RESTORE, e);
    }
    long g = read.generation();
    EventsFile events = EventsFile.open(directory.resolve(EventsFile.fileName(g)), g, read.events());
    IdIndex ids;
    Journal opened;
    try {
      ids = IdIndex.open(directory.resolve(IdIndex.fileName(g)), g, read.ids());
      try {
        opened = Journal.open(directory.resolve(Manifest.journalName(g)), g, id);
      } catch (RuntimeException e) {
        StoreFiles.closeQuietly(ids, e);
        throw e;
      }
    } catch (RuntimeException e) {
      StoreFiles.closeQuietly(events, e);
      throw e;
    }
    Ledger previousLedger = ledger;
    Journal previousJournal = journal;
    manifest = read;
    storeId = id;
    ledger = new Ledger(read, events, ids);
    journal = opened;
    if (previousLedger != null) {
      ledger.reservations.continueFrom(previousLedger.reservations);
      previousLedger.close(); // on POSIX a deleted file stays readable while open; these are no longer needed
    }
    if (previousJournal != null) {
      previousJournal.close();
    }
    catchUp();
    stale = false;
    if (journal.version() < Journal.VERSION || ledger.events().version() < EventsFile.VERSION) {
      // Files of the format before the cost are read, never appended to: migrate them now, as a
      // compaction (crash-safe like any: the old manifest stays the commit point until the new one
      // is written), once every block has been read, so that a store not readable whole keeps even
      // its journal as it was (no seal).
      LOG.info("{}: rewriting generation {} in the current format (events with their cost)", directory,
          manifest.generation());
      ledger.readEveryBlock();
      compact();
    }
  }

  private void catchUp() throws IOException {
    JournalRecord.Sealed sealed = journal.catchUp(this::apply);
    if (sealed != null) {
      followSeal(sealed.next());
    }
  }

  private void apply(JournalRecord record, long offset) {
    try {
      if (record instanceof JournalRecord.Recorded r) {
        ledger.replay(r.events());
        for (JournalRecord.WindowTotals w : r.windows()) {
          ledger.windows.replay(w);
        }
      } else if (record instanceof JournalRecord.Claimed c) {
        ledger.windows.claim(c.key(), c.start(), c.end(), c.threshold());
        if (c.claim() != null) {
          ledger.outbox.queue(c.claim()); // the writer won the claim: its alert was queued with it
        }
      } else if (record instanceof JournalRecord.Reset r) {
        ledger.reset(r.window());
      } else if (record instanceof JournalRecord.Dropped d) {
        ledger.dropBefore(d.cutoff());
      } else if (record instanceof JournalRecord.Reserved || record instanceof JournalRecord.Settled) {
        ledger.reservations.replay(record);
      } else if (record instanceof JournalRecord.Taken || record instanceof JournalRecord.Delivered
          || record instanceof JournalRecord.Retried || record instanceof JournalRecord.GaveUp
          || record instanceof JournalRecord.Pending) {
        ledger.outbox.replay(record);
      } else if (record instanceof JournalRecord.Sealed s && s.next() != manifest.generation() + 1) {
        throw new FormatProblem("seal names generation " + s.next() + " after generation " + manifest.generation());
      }
    } catch (FormatProblem e) {
      throw new StoreFileException(journal.path(), offset, "does not replay (" + e.getMessage() + "); it does not"
          + " belong on top of this generation's files. " + StoreFiles.RESTORE, e);
    }
  }

  /**
   * The journal ends in a seal: its state is generation {@code next}. If the process that sealed it
   * died before publishing that generation, the state just replayed is exactly what it was about to
   * write, so finish its work; else load the published generation.
   */
  private void followSeal(long next) throws IOException {
    Manifest current = Manifest.read(directory.resolve(Manifest.NAME));
    if (current.generation() < next) {
      LOG.info("{}: completing an interrupted compaction into generation {}", directory, next);
      Manifest written = Compaction.write(directory, storeId, next, ledger);
      reload();
      DirectoryLayout.deleteOthers(directory, written);
    } else {
      reload();
    }
  }

  /** Seals the journal, writes the next generation, loads it and deletes every older file. */
  void compact() throws IOException {
    long next = manifest.generation() + 1;
    BinaryOut seal = new BinaryOut(32);
    JournalRecord.encode(seal, new JournalRecord.Sealed(next));
    journal.append(seal, true);
    Manifest written = Compaction.write(directory, storeId, next, ledger);
    reload();
    DirectoryLayout.deleteOthers(directory, written);
  }

  /** Size of the current events file, so compaction's cost can be kept in proportion. */
  long eventsBytes() {
    return manifest.events().bytes();
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (Closeable c : new Closeable[] {journal, ledger}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    try {
      directoryLock.release();
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
