package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.PeriodTotals;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.persistence.file.JournalCodec.FormatProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A durable {@link UsageStore} in a local directory, safe for many threads and many processes at
 * once. See the package documentation for the file layout and the arguments for durability and
 * multi-process safety.
 *
 * <pre>{@code
 * try (UsageStore store = new FileUsageStore(FileUsageStore.defaultDirectory())) { ... }
 * }</pre>
 *
 * <p>Errors: a file that cannot be read or is corrupt (other than a torn last journal record)
 * raises {@link StoreFileException}, naming the file and byte offset; other I/O failures raise
 * {@link UncheckedIOException}. Nothing the store could not read is ever overwritten.
 */
public final class FileUsageStore implements UsageStore {

  private static final Logger LOG = LogManager.getLogger(FileUsageStore.class);

  /** Journal size at which it is compacted into a new snapshot (unless the snapshot is larger). */
  public static final long DEFAULT_COMPACTION_BYTES = 8L << 20;

  /**
   * Request ids recorded since the snapshot at which the journal is compacted anyway: they are
   * the de-duplication entries held in memory (about 130 bytes each), so this bounds that memory.
   */
  public static final int DEFAULT_COMPACTION_IDS = 100_000;

  /** Upper bound of the commit delay (see {@link #gatherSiblings}). */
  private static final long MAX_GATHER_NANOS = 1_000_000;

  static final String SNAPSHOT = "snapshot.json";
  static final String LOCK = "tokenwatch.lock";
  private static final Pattern JOURNAL_NAME = Pattern.compile("journal-(\\d+)\\.log(\\.tmp)?");
  private static final Pattern DEDUP_NAME = Pattern.compile("dedup-(\\d+)\\.bin(\\.tmp)?");

  private final Path directory;
  private final Path snapshotPath;
  private final long compactionBytes;
  private final int compactionIds;
  private final DirectoryLock directoryLock;
  /** The in-process lock; the leader of a group commit holds it while it writes for everyone. */
  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentLinkedQueue<Op<?>> pending = new ConcurrentLinkedQueue<>();
  /** Number of operations in {@link #pending}. */
  private final AtomicInteger queued = new AtomicInteger();
  /** A leader waiting for the callers of the previous group to queue again; null if none. */
  private volatile Thread gatheringLeader;
  private volatile int gatherTarget = Integer.MAX_VALUE;
  /** Operations in the last group written, and how long its force took (guarded by lock). */
  private int lastGroupSize;
  private long lastForceNanos;
  private final JournalCodec.Buffer buffer = new JournalCodec.Buffer(1 << 16);

  // Guarded by lock; files are read or written only while directoryLock is held too.
  private Map<String, BudgetState> budgets = new HashMap<>();
  private long generation;
  private FileChannel journal;
  private Path journalPath;
  /** End of the last valid record read or written: where the next record goes. */
  private long position;
  /**
   * The journal's size as last seen by {@link #catchUp} (or written by {@link #append}): with the
   * OS lock held since, nobody else has changed it, so {@link #append} needs no second fstat.
   */
  private long journalSize;
  private long tornWarnedAt = -1;
  /** Size of the current generation's snapshot plus its de-duplication file. */
  private long snapshotBytes;
  /** The current generation's de-duplication file; null only before the first load. */
  private DedupFile dedup;
  /** The in-memory state may differ from the files (after a failed write): reload before use. */
  private boolean stale = true;
  private boolean closed;

  /** Opens (creating if needed) the store in {@code directory}. */
  public FileUsageStore(Path directory) {
    this(builder(directory));
  }

  private FileUsageStore(Builder builder) {
    this.directory = builder.directory.toAbsolutePath().normalize();
    this.snapshotPath = directory.resolve(SNAPSHOT);
    this.compactionBytes = builder.compactionBytes;
    this.compactionIds = builder.compactionIds;
    prepareDirectory(directory);
    try {
      directoryLock = DirectoryLock.of(directory, LOCK);
    } catch (IOException e) {
      throw new StoreFileException(directory.resolve(LOCK), -1, "cannot open the lock file: " + e, e);
    }
    lock.lock();
    try {
      directoryLock.lock();
      try {
        reload();
      } finally {
        directoryLock.unlock();
      }
    } catch (IOException | RuntimeException e) {
      closeFiles(e);
      throw e instanceof IOException io ? new UncheckedIOException("opening " + directory + ": " + e, io)
          : (RuntimeException) e;
    } finally {
      lock.unlock();
    }
  }

  /** A builder for a store in {@code directory}, for settings beyond the defaults. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /**
   * The default state directory: {@code $XDG_STATE_HOME/tokenwatch} if that variable holds an
   * absolute path, else {@code ~/.local/state/tokenwatch}.
   */
  public static Path defaultDirectory() {
    return defaultDirectory(System.getenv("XDG_STATE_HOME"), System.getProperty("user.home"));
  }

  static Path defaultDirectory(String xdgStateHome, String userHome) {
    // The XDG spec says relative paths in these variables are invalid and must be ignored.
    if (xdgStateHome != null && !xdgStateHome.isBlank() && Path.of(xdgStateHome).isAbsolute()) {
      return Path.of(xdgStateHome, "tokenwatch");
    }
    return Path.of(userHome, ".local", "state", "tokenwatch");
  }

  /** The directory this store lives in. */
  public Path directory() {
    return directory;
  }

  // ---------------------------------------------------------------------------------------------
  // UsageStore

  @Override
  public RecordResult record(String budget, Instant currentPeriodStart, List<ChargedEvent> events, int historySize) {
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(currentPeriodStart, "currentPeriodStart");
    List<ChargedEvent> batch = List.copyOf(events); // rejects null elements, and callers may reuse their list
    if (historySize < 0) {
      throw new IllegalArgumentException("historySize must not be negative, got " + historySize);
    }
    // Encoded here, in the caller's thread, while another caller may be forcing: the line depends
    // only on the arguments, as long as every event turns out effective (the usual case).
    JournalCodec.Buffer line = new JournalCodec.Buffer(64 + 256 * Math.min(batch.size(), 256));
    if (!batch.isEmpty()) {
      JournalCodec.appendRecorded(line, budget, historySize, batch);
    }
    return submit(new Op<>() {
      @Override
      RecordResult apply(FileUsageStore store) {
        BudgetState b = store.budgets.computeIfAbsent(budget, BudgetState::new);
        List<ChargedEvent> effective = new ArrayList<>(batch.size());
        RecordResult result = b.record(currentPeriodStart, batch, historySize, effective);
        if (effective.size() == batch.size()) {
          // effective holds the events of batch that changed something, in order: here all of them
          store.buffer.write(line.array(), 0, line.size());
        } else if (!effective.isEmpty()) {
          JournalCodec.appendRecorded(store.buffer, budget, historySize, effective);
        }
        return result;
      }
    });
  }

  @Override
  public boolean claimThreshold(String budget, Instant periodStart, double threshold) {
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(periodStart, "periodStart");
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("threshold must be a finite number, got " + threshold);
    }
    return submit(new Op<>() {
      @Override
      Boolean apply(FileUsageStore store) {
        if (store.budgets.computeIfAbsent(budget, BudgetState::new).claim(periodStart, threshold)) {
          JournalCodec.appendClaimed(store.buffer, budget, periodStart, threshold);
          return true;
        }
        return false;
      }
    });
  }

  @Override
  public void resetPeriod(String budget, Instant periodStart) {
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(periodStart, "periodStart");
    submit(new Op<>() {
      @Override
      Void apply(FileUsageStore store) {
        BudgetState b = store.budgets.get(budget);
        if (b != null) {
          b.reset(periodStart);
          JournalCodec.appendReset(store.buffer, budget, periodStart);
        }
        return null;
      }
    });
  }

  @Override
  public SortedSet<Double> claimedThresholds(String budget, Instant periodStart) {
    Objects.requireNonNull(periodStart, "periodStart");
    return read(budget, b -> b == null ? Collections.emptySortedSet() : b.claimed(periodStart));
  }

  @Override
  public PeriodTotals periodTotals(String budget, Instant periodStart) {
    Objects.requireNonNull(periodStart, "periodStart");
    return read(budget, b -> b == null ? PeriodTotals.empty(periodStart) : b.totals(periodStart));
  }

  @Override
  public List<PeriodTotals> periodTotalsBetween(String budget, Instant fromInclusive, Instant toExclusive) {
    Objects.requireNonNull(fromInclusive, "fromInclusive");
    Objects.requireNonNull(toExclusive, "toExclusive");
    return read(budget, b -> b == null ? List.of() : b.totalsBetween(fromInclusive, toExclusive));
  }

  @Override
  public List<TokenUsageEvent> history(String budget, int limit) {
    return read(budget, b -> b == null ? List.of() : b.newestHistory(limit));
  }

  /** Closes the journal and gives up this store's share of the directory lock. Idempotent. */
  @Override
  public void close() {
    List<Op<?>> failed = List.of();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      failed = failPending(new IllegalStateException("store " + directory + " is closed"));
      IOException failure = closeFiles(null);
      if (failure != null) {
        throw new UncheckedIOException("closing " + directory, failure);
      }
    } finally {
      lock.unlock();
      wakeNextLeader();
      wakeCallers(failed);
    }
  }

  @Override
  public String toString() {
    return "FileUsageStore[" + directory + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Group commit

  /**
   * One write operation: applied to the state under the locks, its record appended to the buffer.
   * Created by the calling thread, which parks until a leader has written it ({@link #done}).
   */
  private abstract static class Op<T> {
    final Thread caller = Thread.currentThread();
    T result;
    RuntimeException failure;
    /** Set (after result or failure) once the operation is durable or has failed. */
    volatile boolean done;

    abstract T apply(FileUsageStore store);
  }

  /**
   * Group commit: the caller queues its operation; if the in-process lock is free it becomes the
   * leader and writes the whole queue with one append and one force, else it parks. Every holder
   * of the lock, after releasing it, wakes the callers whose operations it finished and the caller
   * at the head of the queue (the next leader), so followers neither spin nor queue on the lock
   * one after another just to learn that their operation is already written.
   */
  private <T> T submit(Op<T> op) {
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
      // FileChannel closes itself when an interrupted thread uses it, which would break the store
      // for every caller; the interrupt is kept for the caller and restored on return.
      interrupted |= Thread.interrupted();
      if (lock.tryLock()) {
        List<Op<?>> finished;
        try {
          if (closed) {
            finished = failPending(new IllegalStateException("store " + directory + " is closed"));
          } else {
            interrupted |= gatherSiblings();
            finished = commitPending();
          }
        } finally {
          lock.unlock();
          wakeNextLeader();
        }
        wakeCallers(finished);
      } else {
        // Woken by a lock holder after it released the lock: either our operation is done or we
        // are at the head of the queue and should lead. Interrupts do not abort a durable write.
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

  /**
   * Commit delay, as databases do it: if the last group held several operations, their callers
   * are about to queue their next ones; wait (holding the lock, up to half the last force's
   * duration) until as many are queued, so they share the next force instead of splitting into a
   * group that forces now and one that waits for it. A lone writer never waits.
   *
   * @return whether the thread was interrupted (the interrupt is cleared, see {@link #submit})
   */
  private boolean gatherSiblings() {
    int expected = lastGroupSize;
    if (expected < 2 || queued.get() >= expected) {
      return false;
    }
    long deadline = System.nanoTime() + Math.min(lastForceNanos / 2, MAX_GATHER_NANOS);
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

  /** Called after every release of {@link #lock}: the caller of the oldest queued operation leads next. */
  private void wakeNextLeader() {
    Op<?> next = pending.peek();
    if (next != null) {
      LockSupport.unpark(next.caller);
    }
  }

  private static void wakeCallers(List<Op<?>> finished) {
    Thread self = Thread.currentThread();
    for (Op<?> op : finished) {
      if (op.caller != self) {
        LockSupport.unpark(op.caller);
      }
    }
  }

  /** Writes every queued operation with one append and one force; returns them, all done. */
  private List<Op<?>> commitPending() {
    List<Op<?>> batch = new ArrayList<>();
    for (Op<?> op = pending.poll(); op != null; op = pending.poll()) {
      queued.decrementAndGet();
      batch.add(op);
    }
    if (batch.isEmpty()) {
      return batch;
    }
    lastGroupSize = batch.size();
    boolean locked = false;
    try {
      directoryLock.lock();
      locked = true;
      bringUpToDate();
      buffer.reset();
      for (Op<?> op : batch) {
        applyOp(op);
      }
      if (buffer.size() > 0) {
        append();
      }
      for (Op<?> op : batch) {
        op.done = true;
      }
      compactIfDue();
    } catch (IOException | RuntimeException e) {
      stale = true; // the state may hold operations that did not reach the disk
      fail(batch, e instanceof IOException io
          ? new UncheckedIOException("writing to " + journalPath + ": " + e, io) : (RuntimeException) e);
    } catch (Error e) {
      stale = true;
      fail(batch, new IllegalStateException("writing to " + journalPath + " failed: " + e, e));
      wakeCallers(batch); // submit does not get to wake them when this propagates
      throw e;
    } finally {
      if (locked) {
        directoryLock.unlock();
      }
    }
    return batch;
  }

  private static void fail(List<Op<?>> batch, RuntimeException failure) {
    for (Op<?> op : batch) {
      if (!op.done) {
        op.failure = failure;
        op.done = true;
      }
    }
  }

  private <T> void applyOp(Op<T> op) {
    op.result = op.apply(this);
  }

  private List<Op<?>> failPending(RuntimeException failure) {
    List<Op<?>> failed = new ArrayList<>();
    for (Op<?> op = pending.poll(); op != null; op = pending.poll()) {
      queued.decrementAndGet();
      op.failure = failure;
      op.done = true;
      failed.add(op);
    }
    return failed;
  }

  private <T> T read(String budget, Function<BudgetState, T> query) {
    Objects.requireNonNull(budget, "budget");
    boolean interrupted = Thread.interrupted(); // see submit: an interrupt would close the journal
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("store " + directory + " is closed");
      }
      directoryLock.lock();
      try {
        bringUpToDate();
      } catch (IOException e) {
        stale = true;
        throw new UncheckedIOException("reading " + journalPath + ": " + e, e);
      } catch (RuntimeException e) {
        stale = true;
        throw e;
      } finally {
        directoryLock.unlock();
      }
      return query.apply(budgets.get(budget));
    } finally {
      lock.unlock();
      wakeNextLeader(); // a writer that found the lock taken parked, waiting for this release
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Files; every method below runs with both locks held.

  private void bringUpToDate() throws IOException {
    if (stale) {
      reload();
    } else {
      catchUp();
    }
  }

  /** Appends the buffer at {@link #position} (cutting off a torn tail first) and forces it. */
  private void append() throws IOException {
    long start = position;
    if (journalSize > start) {
      journal.truncate(start); // a torn tail: catchUp just read everything before it
    }
    ByteBuffer bytes = ByteBuffer.wrap(buffer.array(), 0, buffer.size());
    long at = start;
    try {
      while (bytes.hasRemaining()) {
        at += journal.write(bytes, at);
      }
      long forceStart = System.nanoTime();
      journal.force(false);
      lastForceNanos = System.nanoTime() - forceStart;
    } catch (IOException e) {
      try {
        journal.truncate(start);
      } catch (IOException truncation) {
        e.addSuppressed(truncation);
      }
      throw e;
    }
    position = at;
    journalSize = at;
  }

  /**
   * Replaces the in-memory state with the snapshot plus the journal. The snapshot's de-duplication
   * entries stay in its file; a snapshot of the previous format is rewritten in the current one.
   */
  private void reload() throws IOException {
    stale = true;
    SnapshotCodec.Snapshot snapshot;
    if (Files.exists(snapshotPath)) {
      snapshot = readSnapshot(false);
    } else {
      List<Path> journals = journalFiles();
      if (!journals.isEmpty()) {
        throw new StoreFileException(snapshotPath, -1, "is missing, but journals exist (" + journals
            + "); they only make sense on top of their snapshot. Restore it from a backup, or move the"
            + " directory away to start empty");
      }
      writeSnapshot(0, List.of());
      snapshot = readSnapshot(false);
    }
    Map<String, BudgetState> loaded = new HashMap<>(snapshot.budgets());
    DedupFile opened = null;
    SnapshotCodec.Dedup files = snapshot.dedup();
    if (files != null) {
      opened = DedupFile.open(directory.resolve(files.file()), snapshot.generation(), files.bytes());
      try {
        for (Map.Entry<String, SnapshotCodec.Section> e : files.sections().entrySet()) {
          SnapshotCodec.Section section = e.getValue();
          loaded.get(e.getKey()).stored = opened.section(section.info(), section.periods(), section.models());
        }
      } catch (RuntimeException e) {
        try {
          opened.close();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
        throw e;
      }
      snapshotBytes += files.bytes();
    }
    DedupFile previous = dedup;
    dedup = opened;
    budgets = loaded;
    if (previous != null) {
      previous.close(); // on POSIX a deleted file stays readable while open; it is no longer needed
    }
    openJournal(snapshot.generation());
    catchUp();
    stale = false;
    if (snapshot.format() < SnapshotCodec.FORMAT) {
      LOG.info("{}: rewriting the snapshot of format {} in format {} (de-duplication entries in {})", directory,
          snapshot.format(), SnapshotCodec.FORMAT, DedupFile.fileName(generation + 1));
      compact();
    }
  }

  private SnapshotCodec.Snapshot readSnapshot(boolean headerOnly) throws IOException {
    long size;
    try {
      size = Files.size(snapshotPath);
    } catch (IOException e) {
      throw new StoreFileException(snapshotPath, -1, "cannot be read: " + e, e);
    }
    if (size == 0) {
      throw new StoreFileException(snapshotPath, 0, "is empty; snapshots are written whole and renamed into"
          + " place, so the file was damaged outside tokenwatch. Restore it from a backup");
    }
    try (InputStream in = Files.newInputStream(snapshotPath)) {
      SnapshotCodec.Snapshot snapshot = SnapshotCodec.read(snapshotPath, in, headerOnly);
      if (!headerOnly) {
        snapshotBytes = size;
      }
      return snapshot;
    } catch (StoreFileException e) {
      throw e;
    } catch (IOException e) {
      throw new StoreFileException(snapshotPath, -1, "cannot be read: " + e, e);
    }
  }

  private Path journalPathOf(long gen) {
    return directory.resolve("journal-" + gen + ".log");
  }

  /** Opens journal {@code gen} (creating it if a crash cut its creation short) and checks its header. */
  private void openJournal(long gen) throws IOException {
    Path path = journalPathOf(gen);
    if (!Files.exists(path)) {
      // Journal gen is created right after snapshot gen is renamed into place; a crash in between
      // leaves the snapshot without it, and an empty journal is exactly what it should hold.
      StoreFiles.replaceAtomically(path, out -> {
        JournalCodec.Buffer header = new JournalCodec.Buffer(128);
        JournalCodec.appendHeader(header, gen);
        out.write(header.array(), 0, header.size());
      });
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StoreFileException(path, -1, "cannot be opened for reading and writing: " + e, e);
    }
    long headerEnd;
    try {
      headerEnd = readHeader(channel, path, gen);
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    FileChannel previous = journal;
    journal = channel;
    journalPath = path;
    position = headerEnd;
    generation = gen;
    tornWarnedAt = -1;
    if (previous != null) {
      previous.close();
    }
  }

  private static long readHeader(FileChannel channel, Path path, long gen) throws IOException {
    long size = channel.size();
    if (size == 0) {
      throw new StoreFileException(path, 0, "is empty; journals are created with a header line and renamed"
          + " into place, so the file was damaged outside tokenwatch");
    }
    byte[] head = readFully(channel, 0, (int) Math.min(size, 4096));
    int newline = indexOf(head, 0, head.length);
    if (newline < 0) {
      throw new StoreFileException(path, 0, "has no complete header line");
    }
    try {
      JournalRecord.Header header = JournalCodec.decodeHeader(JournalCodec.parseFrame(head, 0, newline));
      if (header.generation() != gen) {
        throw new StoreFileException(path, 0, "says it is journal generation " + header.generation()
            + ", but its name says " + gen);
      }
    } catch (FormatProblem e) {
      throw new StoreFileException(path, 0, "bad journal header: " + e.getMessage(), e);
    }
    return newline + 1;
  }

  /**
   * Applies the records other processes appended since {@link #position}. Stops before a torn last
   * record (left for {@link #append} to cut off); follows a seal into the next journal.
   */
  private void catchUp() throws IOException {
    while (true) {
      long size = journal.size();
      journalSize = size;
      if (size < position) {
        throw new StoreFileException(journalPath, size, "is shorter than the " + position
            + " bytes already read from it; it was truncated outside tokenwatch");
      }
      if (size == position) {
        return;
      }
      if (size - position > Integer.MAX_VALUE - 64) {
        throw new StoreFileException(journalPath, position, "has more than 2 GiB of records to read at once");
      }
      byte[] data = readFully(journal, position, (int) (size - position));
      long base = position;
      long sealedNext = -1;
      int from = 0;
      while (from < data.length) {
        long offset = base + from;
        if (sealedNext >= 0) {
          throw new StoreFileException(journalPath, offset, "has records after its seal record");
        }
        int newline = indexOf(data, from, data.length);
        if (newline < 0) {
          warnTorn(offset, data.length - from, "no line end");
          return;
        }
        JournalRecord record;
        try {
          record = JournalCodec.decodeRecord(JournalCodec.parseFrame(data, from, newline));
        } catch (FormatProblem e) {
          if (newline + 1 == data.length && !JournalCodec.checksumMatches(data, from, newline)) {
            warnTorn(offset, data.length - from, e.getMessage());
            return;
          }
          throw new StoreFileException(journalPath, offset, "unreadable record (" + e.getMessage()
              + ")" + (newline + 1 < data.length ? ", and records follow it" : "")
              + "; the journal is left as it is. Restore the directory from a backup", e);
        }
        apply(record, offset);
        if (record instanceof JournalRecord.Sealed sealed) {
          sealedNext = sealed.next();
        }
        from = newline + 1;
        position = base + from;
      }
      if (sealedNext >= 0) {
        followSeal(sealedNext);
      }
    }
  }

  private void apply(JournalRecord record, long offset) {
    if (record instanceof JournalRecord.Recorded r) {
      budgets.computeIfAbsent(r.budget(), BudgetState::new).record(null, r.events(), r.historySize(), null);
    } else if (record instanceof JournalRecord.Claimed c) {
      budgets.computeIfAbsent(c.budget(), BudgetState::new).claim(c.period(), c.threshold());
    } else if (record instanceof JournalRecord.Reset r) {
      BudgetState b = budgets.get(r.budget());
      if (b != null) {
        b.reset(r.period());
      }
    } else if (record instanceof JournalRecord.Sealed s) {
      if (s.next() != generation + 1) {
        throw new StoreFileException(journalPath, offset, "seal names generation " + s.next() + ", expected "
            + (generation + 1));
      }
    } else {
      throw new StoreFileException(journalPath, offset, "unexpected record " + record);
    }
  }

  private void warnTorn(long offset, int length, String why) {
    if (tornWarnedAt != offset) {
      tornWarnedAt = offset;
      LOG.warn("{}: dropping an incomplete last record at byte offset {} ({} bytes, {}); a process stopped"
          + " while writing it, so its call never returned. It is cut off before the next append.",
          journalPath, offset, length, why);
    }
  }

  /**
   * Another process compacted: the state we hold now is the one in snapshot {@code next}, and
   * journal {@code next} continues it.
   */
  private void followSeal(long next) throws IOException {
    long snapshotGeneration = readSnapshot(true).generation();
    if (snapshotGeneration < next) {
      // The compacting process sealed the journal and then died before publishing the snapshot;
      // the state we just replayed is exactly what it was about to write, so finish its work.
      LOG.info("{}: completing an interrupted compaction into generation {}", directory, next);
      writeSnapshot(next, budgets.values());
      reload();
      deleteFilesBefore(next);
    } else {
      // Published: load it (its de-duplication file by its index only) instead of keeping in memory
      // the entries recorded since our snapshot, and continue with its journal.
      reload();
    }
  }

  private void compactIfDue() {
    if (position < Math.max(compactionBytes, snapshotBytes) && recentIds() < compactionIds) {
      return;
    }
    try {
      compact();
    } catch (IOException | RuntimeException e) {
      // The operations of this commit are durable in the sealed or unsealed journal; a later
      // operation (here or in another process) completes or retries the compaction.
      stale = true;
      LOG.error("{}: compaction failed; every acknowledged record is still in the journal, and the next"
          + " operation retries", directory, e);
    }
  }

  /** De-duplication entries in memory: those recorded (or reset) since the snapshot. */
  private long recentIds() {
    long n = 0;
    for (BudgetState b : budgets.values()) {
      n += b.recent.size();
    }
    return n;
  }

  /**
   * Seals the journal, writes the next generation (de-duplication file, then snapshot), and loads
   * it, which leaves no de-duplication entry in memory.
   */
  private void compact() throws IOException {
    long next = generation + 1;
    buffer.reset();
    JournalCodec.appendSealed(buffer, next);
    append();
    writeSnapshot(next, budgets.values());
    reload();
    deleteFilesBefore(next);
  }

  /**
   * Writes generation {@code gen}: its de-duplication file (merging the current one with the
   * entries recorded since), then the snapshot naming it, each replaced atomically.
   */
  private void writeSnapshot(long gen, Collection<BudgetState> states) throws IOException {
    List<BudgetState> list = List.copyOf(states);
    String dedupName = DedupFile.fileName(gen);
    List<Map<String, SnapshotCodec.Layout>> layouts = new ArrayList<>(1);
    long dedupBytes = StoreFiles.replaceAtomically(directory.resolve(dedupName),
        out -> layouts.add(SnapshotCodec.writeDedup(out, gen, list)));
    StoreFiles.replaceAtomically(snapshotPath,
        out -> SnapshotCodec.write(out, gen, list, dedupName, dedupBytes, layouts.get(0)));
  }

  /** Deletes the journals and de-duplication files of generations before {@code gen}. */
  private void deleteFilesBefore(long gen) {
    List<Path> old = new ArrayList<>(journalFiles());
    try (Stream<Path> files = Files.list(directory)) {
      files.filter(p -> DEDUP_NAME.matcher(p.getFileName().toString()).matches()).forEach(old::add);
    } catch (IOException e) {
      throw new StoreFileException(directory, -1, "cannot list the directory: " + e, e);
    }
    for (Path p : old) {
      String name = p.getFileName().toString();
      Matcher m = JOURNAL_NAME.matcher(name);
      if (!m.matches()) {
        m = DEDUP_NAME.matcher(name);
        m.matches();
      }
      if (Long.parseLong(m.group(1)) < gen) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.warn("{}: cannot delete {} of a compacted generation; it is ignored and retried at the next"
              + " compaction", directory, p, e);
        }
      }
    }
  }

  private List<Path> journalFiles() {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(p -> JOURNAL_NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
    } catch (IOException e) {
      throw new StoreFileException(directory, -1, "cannot list the directory: " + e, e);
    }
  }

  private IOException closeFiles(Exception primary) {
    IOException failure = null;
    try {
      if (journal != null) {
        journal.close();
      }
    } catch (IOException e) {
      failure = e;
    }
    try {
      if (dedup != null) {
        dedup.close();
      }
    } catch (IOException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
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
    if (primary != null && failure != null) {
      primary.addSuppressed(failure);
    }
    return failure;
  }

  private static void prepareDirectory(Path directory) {
    if (!Files.exists(directory)) {
      try {
        Files.createDirectories(directory, StoreFiles.directoryAttributes());
      } catch (IOException e) {
        throw new StoreFileException(directory, -1, "cannot create the state directory: " + e, e);
      }
    }
    if (!Files.isDirectory(directory)) {
      throw new StoreFileException(directory, -1, "is not a directory");
    }
    if (!Files.isReadable(directory) || !Files.isWritable(directory) || !Files.isExecutable(directory)) {
      throw new StoreFileException(directory, -1, "is not readable, writable and searchable by this user");
    }
    if (StoreFiles.posix()) {
      try {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
          LOG.warn("{}: the state directory is accessible to other users ({}); consider chmod 700", directory,
              java.nio.file.attribute.PosixFilePermissions.toString(permissions));
        }
      } catch (IOException e) {
        throw new StoreFileException(directory, -1, "cannot read its permissions: " + e, e);
      }
    }
  }

  private static byte[] readFully(FileChannel channel, long from, int length) throws IOException {
    byte[] data = new byte[length];
    ByteBuffer target = ByteBuffer.wrap(data);
    long at = from;
    while (target.hasRemaining()) {
      int n = channel.read(target, at);
      if (n < 0) {
        throw new NoSuchFileException("unexpected end of file at byte " + at);
      }
      at += n;
    }
    return data;
  }

  private static int indexOf(byte[] data, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Settings of a {@link FileUsageStore}. */
  public static final class Builder {
    private final Path directory;
    private long compactionBytes = DEFAULT_COMPACTION_BYTES;
    private int compactionIds = DEFAULT_COMPACTION_IDS;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * Compacts the journal into a new snapshot once it reaches this many bytes (or the snapshot's
     * size, if larger: that keeps the cost of compaction proportional to the records written).
     */
    public Builder compactAfterBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("compactAfterBytes must be positive, got " + bytes);
      }
      this.compactionBytes = bytes;
      return this;
    }

    /**
     * Compacts the journal once this many request ids were recorded since the last snapshot
     * (default {@value FileUsageStore#DEFAULT_COMPACTION_IDS}), whatever the journal's size. Their
     * de-duplication entries are the only ones held in memory (about 130 bytes each; the older ones
     * are looked up in the snapshot's file), so this bounds the store's memory; each compaction
     * rewrites that file, so a smaller value costs more writing.
     */
    public Builder compactAfterIds(int ids) {
      if (ids < 1) {
        throw new IllegalArgumentException("compactAfterIds must be positive, got " + ids);
      }
      this.compactionIds = ids;
      return this;
    }

    /** Opens the store. */
    public FileUsageStore build() {
      return new FileUsageStore(this);
    }
  }
}
