package dev.tokenwatch.app.logging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * The audit log as one writer sees it: each line lands in the writer's own {@link AuditRing} (a
 * memory-mapped file beside the log), and a background thread copies the lines into the {@link
 * SharedAuditLog} ({@code audit.jsonl}, rolled over by size) in large writes.
 *
 * <p>Why: a line stored into a shared file mapping is in the kernel's page cache the moment the copy
 * ends, exactly like a line passed to {@code write(2)}, so a crash of the process (kill -9, an abort)
 * loses no line that was logged; and because the ring stays mapped, a line costs a memory copy (tens
 * of nanoseconds) instead of a system call (about 3 µs in this kind of VM) or a page fault of a
 * freshly mapped region (about 10 µs a 4 KB page). Like {@code write}, it does not protect against a
 * power cut: nothing per line does short of an fsync.
 *
 * <p>The copier needs a second core to keep up; when it falls behind and the ring is full, the
 * writing thread does the copy itself rather than wait for it to be scheduled.
 *
 * <p>Several processes: each has its own ring and the copies take turns under the log's OS lock, so
 * lines of different processes never mix within a line, and one process's lines keep their order.
 * The lines of a writer that died are still in its ring: the next writer that starts, and every
 * running writer every ten seconds, copies such orphaned rings into the log and deletes them.
 *
 * <p>Thread-safe: {@link #append} and {@link #close} are synchronized.
 */
final class AuditFile implements AutoCloseable {

  private static final AtomicInteger RINGS = new AtomicInteger();
  private static final long ORPHAN_SCAN_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** While lines keep coming, the copier collects them this long between writes. */
  private static final long COPY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long CLOSE_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(10);

  private final Supplier<Path> fileLocation;
  private final long maxFileBytes;
  private final int backups;
  private final int ringBytes;

  private SharedAuditLog log;
  private AuditRing ring;
  private Thread copier;
  private volatile boolean closed;
  private volatile boolean copierIdle;
  private volatile Exception copyFailure;
  /** One copy into the log at a time: the copier's, or the writer's own when the ring is full. */
  private final ReentrantLock copying = new ReentrantLock();
  /** Rings that could not be copied: reported once, then left for a person to look at. */
  private final Set<Path> unreadableRings = new HashSet<>();

  /**
   * @param fileLocation where the log is, asked on first write (the application learns its state
   *     directory after logging has started)
   * @param maxFileBytes roll over before a line would take the file past this (a longer line gets a
   *     file of its own)
   * @param backups how many rolled-over files to keep: {@code audit.1.jsonl} (the newest) and up
   * @param ringBytes the size of this writer's ring: how much may wait to be copied
   */
  AuditFile(Supplier<Path> fileLocation, long maxFileBytes, int backups, int ringBytes) {
    if (maxFileBytes <= 0 || backups < 0 || ringBytes <= 0) {
      throw new IllegalArgumentException("sizes must be positive and backups at least 0, got maxFileBytes "
          + maxFileBytes + ", backups " + backups + ", ringBytes " + ringBytes);
    }
    this.fileLocation = fileLocation;
    this.maxFileBytes = maxFileBytes;
    this.backups = backups;
    this.ringBytes = ringBytes;
  }

  /**
   * Appends {@code text} and a line break. Several lines in one text stay together unless the text
   * is larger than the ring; then it goes in pieces of whole lines.
   *
   * @throws IllegalArgumentException if one line of {@code text} is larger than the ring
   */
  synchronized void append(String text) {
    if (closed) {
      throw new IllegalStateException("the audit log is closed");
    }
    if (ring == null) {
      withoutInterrupt(this::open);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int start = 0;
    while (start < bytes.length) {
      int limit = start + ring.capacity - 1; // room for the final line break
      if (limit >= bytes.length) { // the whole text, or its last piece
        putAndCommit(bytes, start, bytes.length - start, true);
        return;
      }
      int end = limit;
      while (end > start && bytes[end - 1] != '\n') {
        end--;
      }
      if (end == start) {
        throw new IllegalArgumentException("an audit line of more than " + (ring.capacity - 1)
            + " bytes does not fit the audit ring " + ring.path);
      }
      putAndCommit(bytes, start, end - start, false);
      start = end;
    }
  }

  /** Waits until every line appended so far is in the log file. */
  void awaitCopied() {
    AuditRing current;
    synchronized (this) {
      current = ring;
    }
    if (current == null) {
      return;
    }
    long target = current.written();
    while (current.copied() < target && copier.isAlive()) {
      Exception failure = copyFailure;
      if (failure != null) {
        throw new UncheckedIOException("the audit log " + log.file + " cannot be written: " + failure.getMessage(),
            failure instanceof IOException io ? io : new IOException(failure));
      }
      LockSupport.unpark(copier);
      LockSupport.parkNanos(100_000);
    }
  }

  /**
   * Copies what is left into the log and deletes the ring. If that cannot be done, the ring stays
   * for the next writer to copy, and the reason goes to Log4j's status logger.
   */
  @Override
  public void close() {
    Thread copierThread;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      copierThread = copier;
    }
    if (copierThread == null) {
      return;
    }
    LockSupport.unpark(copierThread);
    boolean interrupted = false;
    long deadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
    while (copierThread.isAlive() && System.currentTimeMillis() < deadline) {
      try {
        copierThread.join(Math.max(1, deadline - System.currentTimeMillis()));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    synchronized (this) {
      try {
        if (!copierThread.isAlive() && ring.copied() == ring.written()) {
          ring.delete();
        } else {
          ring.abandon();
          StatusLogger.getLogger().error("tokenwatch: the audit log {} could not take every line at close; "
              + "they stay in {} and the next writer copies them", log.file, ring.path);
        }
        log.close();
      } catch (IOException e) {
        StatusLogger.getLogger().error("tokenwatch: could not close the audit log {}: {}", log.file, e.getMessage(), e);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------------------------------------

  private void putAndCommit(byte[] bytes, int offset, int length, boolean lineBreak) {
    int needed = length + (lineBreak ? 1 : 0);
    if (ring.free() < needed) {
      waitForRoom(needed);
    }
    ring.put(bytes, offset, length);
    if (lineBreak) {
      ring.putLineBreak();
    }
    ring.commit();
    if (copierIdle) {
      LockSupport.unpark(copier);
    }
  }

  private void waitForRoom(int needed) {
    while (ring.free() < needed) {
      if (copying.tryLock()) {
        // The copier is behind (its core is busy elsewhere): copy here rather than wait for it.
        try {
          withoutInterrupt(() -> log.copyFrom(ring));
        } finally {
          copying.unlock();
        }
      } else {
        LockSupport.parkNanos(20_000);
      }
    }
  }

  private void open() throws IOException {
    Path target = fileLocation.get().toAbsolutePath().normalize();
    OwnerOnlyFiles.createDirectories(target.getParent());
    log = new SharedAuditLog(target, maxFileBytes, backups);
    copyOrphans(); // a writer that died before us wrote its lines first
    String prefix = target.getFileName() + "." + ProcessHandle.current().pid() + "-";
    while (ring == null) {
      try {
        ring = AuditRing.create(target.resolveSibling(prefix + RINGS.getAndIncrement() + ".ring"), ringBytes);
      } catch (FileAlreadyExistsException e) {
        // A ring of an earlier process with our process id that could not be copied: left for a person to see.
      }
    }
    copier = new Thread(this::runCopier, "tokenwatch-audit");
    copier.setDaemon(true);
    copier.start();
  }

  /** Copies the rings of writers that stopped without copying them, and deletes them. */
  private void copyOrphans() {
    copying.lock();
    try {
      copyOrphansLocked();
    } finally {
      copying.unlock();
    }
  }

  private void copyOrphansLocked() {
    Path directory = log.file.getParent();
    String prefix = log.file.getFileName() + ".";
    try (DirectoryStream<Path> rings = Files.newDirectoryStream(directory, path -> {
      String name = path.getFileName().toString();
      return name.startsWith(prefix) && name.endsWith(".ring");
    })) {
      for (Path path : rings) {
        if ((ring == null || !path.equals(ring.path)) && !unreadableRings.contains(path)) {
          copyOrphan(path);
        }
      }
    } catch (IOException | RuntimeException e) {
      StatusLogger.getLogger().error("tokenwatch: could not look for audit rings left in {}: {}", directory,
          e.getMessage(), e);
    }
  }

  private void copyOrphan(Path path) {
    AuditRing orphan;
    try {
      orphan = AuditRing.openOrphan(path);
    } catch (IOException | RuntimeException e) {
      unreadableRings.add(path);
      StatusLogger.getLogger().error("tokenwatch: cannot read the audit ring {} of a writer that stopped: {}",
          path, e.getMessage(), e);
      return;
    }
    if (orphan == null) {
      return;
    }
    try {
      log.copyFrom(orphan);
      orphan.delete();
    } catch (IOException | RuntimeException e) {
      StatusLogger.getLogger().error("tokenwatch: could not copy the audit ring {} of a writer that stopped into {}: {}; "
          + "it is tried again later", path, log.file, e.getMessage(), e);
      try {
        orphan.abandon();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
    }
  }

  private void runCopier() {
    long nextScan = System.nanoTime() + ORPHAN_SCAN_NANOS;
    while (true) {
      Thread.interrupted(); // nobody should, but an interrupt would close every channel the copier opens
      boolean last = closed; // read before copying: whatever was appended before close is copied
      if (ring.written() > ring.copied()) {
        copy();
      }
      if (last && (ring.written() == ring.copied() || copyFailure != null)) {
        return;
      }
      if (System.nanoTime() - nextScan >= 0) {
        copyOrphans();
        nextScan = System.nanoTime() + ORPHAN_SCAN_NANOS;
      }
      if (ring.written() > ring.copied()) {
        if (ring.free() > ring.capacity / 2) {
          LockSupport.parkNanos(this, COPY_PAUSE_NANOS); // let lines collect: one write for many
        }
        continue;
      }
      copierIdle = true; // then look again: an append that missed the flag left a line to see
      if (ring.written() == ring.copied() && !closed) {
        LockSupport.parkNanos(this, ORPHAN_SCAN_NANOS);
      }
      copierIdle = false;
    }
  }

  private void copy() {
    Exception failure = null;
    copying.lock();
    try {
      log.copyFrom(ring);
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      copying.unlock();
    }
    if (failure == null) {
      if (copyFailure != null) {
        copyFailure = null;
        StatusLogger.getLogger().warn("tokenwatch: the audit log {} is being written again", log.file);
      }
      return;
    }
    if (copyFailure == null) {
      StatusLogger.getLogger().error("tokenwatch: could not copy audit lines from {} into {}: {}; they stay in "
          + "the ring and the copy is retried", ring.path, log.file, failure.getMessage(), failure);
    }
    copyFailure = failure;
    if (!closed) {
      LockSupport.parkNanos(this, RETRY_NANOS);
    }
  }

  /** A file operation that may throw. */
  private interface FileWork {
    void run() throws IOException;
  }

  /**
   * Runs {@code work} with the thread's interrupt cleared and restores it afterwards: a FileChannel
   * that an interrupted thread uses closes itself, which would break the log for every later line.
   */
  private void withoutInterrupt(FileWork work) {
    boolean interrupted = Thread.interrupted();
    try {
      work.run();
    } catch (IOException e) {
      throw new UncheckedIOException("audit log " + fileLocation.get() + ": " + e, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
