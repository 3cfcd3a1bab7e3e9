package dev.tokenwatch.app.logging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * The audit log file: lines appended through a memory-mapped region of the file, rolled over by size.
 *
 * <p>Why memory-mapped: a line copied into a shared mapping is in the kernel's page cache the moment
 * the copy ends, exactly like a line passed to {@code write(2)}, so a crash of the process (kill -9,
 * an abort) loses no line that was logged; but it costs a memory copy instead of a system call per
 * line (a {@code write} costs about 3 µs in this kind of VM, the copy well under one). Like
 * {@code write}, it does not protect against a power cut: nothing per line does short of an fsync.
 *
 * <p>Several processes: the file is written by one process at a time, the holder of an OS lock on
 * {@code <file>.lock} (a file that is never renamed, so rolling over does not move it). The holder
 * keeps the lock while it writes and gives it up when idle ({@code idleReleaseNanos} after its last
 * line) and, when busy, at a line boundary at least every {@code maxHoldNanos}; a process that wants
 * to write meanwhile waits for the lock. Giving up the lock cuts the file back to its last line.
 *
 * <p>While a process holds the file, the mapped region past the last line reads as NUL bytes; they
 * are cut off when it lets go (idle, roll-over, close). A process that crashed leaves them in the
 * file: the next writer cuts them off before appending, and starts on a new line if the crash tore a
 * line in half. JSON lines never contain a NUL byte, so trailing NULs are never data.
 *
 * <p>Cost, measured in this kind of VM: the first write to each page of a shared file mapping
 * faults into the kernel (about 10 µs a page), so a 330-byte line costs about 1.3 µs, against about
 * 2.5 µs for a {@code write} call. A thread that touched the next region's pages ahead of the writer
 * gained under 10% here and was removed. A background thread gives the file up when idle.
 *
 * <p>Thread-safe: the public methods are synchronized.
 */
final class AuditFile implements AutoCloseable {

  private static final Set<java.nio.file.attribute.PosixFilePermission> FILE_PERMISSIONS =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<java.nio.file.attribute.PosixFilePermission> DIRECTORY_PERMISSIONS =
      PosixFilePermissions.fromString("rwx------");
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final byte NEWLINE = '\n';

  private final Supplier<Path> fileLocation;
  private final long maxFileBytes;
  private final int backups;
  private final int regionBytes;
  private final long idleReleaseNanos;
  private final long maxHoldNanos;

  private Path file;
  private FileChannel lockChannel;
  private FileChannel channel;
  private MappedByteBuffer region;
  /** Where the next byte goes: the end of the file's data. */
  private long position;
  private long acquiredNanos;
  private long lastWriteNanos;
  private Thread background;
  private volatile boolean closed;

  /**
   * @param fileLocation where the file is, asked on first write (the application learns its state
   *     directory after logging has started)
   * @param maxFileBytes roll over once the file holds this much (a file exceeds it by at most one line)
   * @param backups how many rolled-over files to keep: {@code audit.1.jsonl} (the newest) and up
   * @param regionBytes how much of the file is mapped at once
   * @param idleReleaseNanos give up the file this long after the last line
   * @param maxHoldNanos give up the file at least this often while busy, so other processes get a turn
   */
  AuditFile(Supplier<Path> fileLocation, long maxFileBytes, int backups, int regionBytes, long idleReleaseNanos,
      long maxHoldNanos) {
    if (maxFileBytes <= 0 || backups < 0 || regionBytes <= 0 || idleReleaseNanos <= 0 || maxHoldNanos <= 0) {
      throw new IllegalArgumentException("sizes and durations must be positive, backups at least 0");
    }
    this.fileLocation = fileLocation;
    this.maxFileBytes = maxFileBytes;
    this.backups = backups;
    this.regionBytes = regionBytes;
    this.idleReleaseNanos = idleReleaseNanos;
    this.maxHoldNanos = maxHoldNanos;
  }

  /** Appends {@code line} and a line break. */
  synchronized void append(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    long now = System.nanoTime();
    if (channel != null && now - acquiredNanos > maxHoldNanos) {
      letGoAndYield();
    }
    withoutInterrupt(() -> {
      if (channel == null) {
        acquire();
      }
      if (position >= maxFileBytes) {
        rollOver();
      }
    });
    put(bytes);
    put(NEWLINE);
    if (now - lastWriteNanos > 0) { // else acquire() just set it, later than now
      lastWriteNanos = now;
    }
  }

  /** Cuts the file back to its last line and gives it up; the next line takes it again. */
  synchronized void release() {
    withoutInterrupt(this::releaseFile);
  }

  @Override
  public synchronized void close() {
    closed = true;
    release();
    if (background != null) {
      LockSupport.unpark(background);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private void put(byte[] bytes) {
    int offset = 0;
    while (offset < bytes.length) {
      if (!region.hasRemaining()) {
        mapNextRegion();
      }
      int n = Math.min(region.remaining(), bytes.length - offset);
      region.put(bytes, offset, n);
      offset += n;
      position += n;
    }
  }

  private void put(byte b) {
    if (!region.hasRemaining()) {
      mapNextRegion();
    }
    region.put(b);
    position++;
  }

  private void mapNextRegion() {
    withoutInterrupt(this::map);
  }

  private void letGoAndYield() {
    release();
    // fcntl locks are not fair: without a pause this process would take the lock straight back.
    LockSupport.parkNanos(1_000_000);
  }

  private void acquire() throws IOException {
    if (closed) {
      throw new IllegalStateException("the audit log is closed");
    }
    Path target = fileLocation.get().toAbsolutePath();
    Path directory = target.getParent();
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory, directoryAttributes());
    }
    FileChannel newLockChannel = open(target.resolveSibling(target.getFileName() + ".lock"), false);
    FileChannel newChannel = null;
    try {
      newLockChannel.lock(); // held until newLockChannel is closed
      newChannel = open(target, true);
      long end = dataEnd(newChannel);
      lockChannel = newLockChannel;
      channel = newChannel;
      file = target;
      position = end;
      acquiredNanos = System.nanoTime();
      lastWriteNanos = acquiredNanos; // not idle: the lock may have taken a while
      map();
      if (end > 0 && lastByte(newChannel, end) != NEWLINE) {
        put(NEWLINE); // a crash tore the last line: the next one starts on its own line
      }
      startBackground();
      LockSupport.unpark(background); // it sleeps while the file is not held
    } catch (IOException | RuntimeException e) {
      channel = null;
      region = null;
      lockChannel = null;
      closeQuietly(newChannel, e);
      closeQuietly(newLockChannel, e); // releases the lock with it
      throw e;
    }
  }

  private void map() throws IOException {
    region = channel.map(FileChannel.MapMode.READ_WRITE, position, regionBytes);
  }

  private void rollOver() throws IOException {
    region = null;
    channel.truncate(position);
    channel.close();
    channel = null;
    for (int i = backups - 1; i >= 1; i--) {
      Path older = numbered(i);
      if (Files.exists(older)) {
        Files.move(older, numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (backups > 0) {
      Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.delete(file);
    }
    channel = open(file, true);
    position = 0;
    map();
  }

  private void releaseFile() throws IOException {
    if (channel == null) {
      return;
    }
    region = null; // the mapping goes with the buffer; nothing touches it after the truncation
    try {
      channel.truncate(position);
    } finally {
      try {
        channel.close();
      } finally {
        channel = null;
        FileChannel held = lockChannel;
        lockChannel = null;
        held.close(); // releases the lock
      }
    }
  }

  private void startBackground() {
    if (background == null) {
      background = new Thread(this::runBackground, "tokenwatch-audit");
      background.setDaemon(true);
      background.start();
    }
  }

  /** Gives the file up once it has been idle for {@code idleReleaseNanos}, so other processes can write. */
  private void runBackground() {
    while (!closed) {
      long wait;
      synchronized (this) {
        if (closed) {
          return;
        }
        long idle = System.nanoTime() - lastWriteNanos;
        if (channel != null && idle >= idleReleaseNanos) {
          try {
            release();
          } catch (UncheckedIOException e) {
            StatusLogger.getLogger().error("tokenwatch: could not release the audit log {}: {}", file, e.getMessage(), e);
          }
        }
        // Asleep while the file is not held (acquire wakes it), else until it may have gone idle.
        wait = channel == null ? Long.MAX_VALUE : Math.max(idleReleaseNanos - idle, 1_000_000);
      }
      LockSupport.parkNanos(this, wait);
    }
  }

  private Path numbered(int index) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String numbered = dot < 0 ? name + "." + index : name.substring(0, dot) + "." + index + name.substring(dot);
    return file.resolveSibling(numbered);
  }

  /** The end of the data: the file's size less the NUL bytes a crashed writer left mapped past it. */
  private static long dataEnd(FileChannel channel) throws IOException {
    long end = channel.size();
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    while (end > 0) {
      long start = Math.max(0, end - chunk.capacity());
      chunk.clear().limit((int) (end - start));
      while (chunk.hasRemaining()) {
        if (channel.read(chunk, start + chunk.position()) < 0) {
          throw new IOException("the file shrank while being read");
        }
      }
      for (int i = chunk.limit() - 1; i >= 0; i--) {
        if (chunk.get(i) != 0) {
          return start + i + 1;
        }
      }
      end = start;
    }
    return 0;
  }

  private static byte lastByte(FileChannel channel, long end) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    channel.read(one, end - 1);
    return one.get(0);
  }

  private static FileChannel open(Path path, boolean read) throws IOException {
    Set<StandardOpenOption> options = read
        ? Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
        : Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    return POSIX
        ? FileChannel.open(path, options, PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS))
        : FileChannel.open(path, options);
  }

  private static FileAttribute<?>[] directoryAttributes() {
    return POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS)}
        : new FileAttribute<?>[0];
  }

  private static void closeQuietly(FileChannel channel, Exception into) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        into.addSuppressed(e);
      }
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
      abandon(e);
      throw new UncheckedIOException("audit log " + (file != null ? file : fileLocation.get()) + ": " + e, e);
    } catch (RuntimeException e) {
      abandon(e);
      throw e;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** After a failed file operation: let go of everything, so the next line starts afresh. */
  private void abandon(Exception failure) {
    region = null;
    closeQuietly(channel, failure);
    closeQuietly(lockChannel, failure);
    channel = null;
    lockChannel = null;
  }
}
