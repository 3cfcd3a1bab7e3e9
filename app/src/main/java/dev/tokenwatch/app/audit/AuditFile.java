package dev.tokenwatch.app.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The audit log file, shared by every process that writes it: each line is appended with one
 * {@code write} while holding an OS lock on {@code <file>.lock}. So a line is in the kernel when
 * {@link #append} returns (a kill -9 loses none; a power cut may, as nothing short of an fsync per
 * line prevents), and lines of several processes never mix. Rolled over before a line would take
 * the file past its size ({@code audit.1.jsonl} is the newest older file; a longer line gets a file
 * of its own).
 *
 * <p>Each system call costs about as much as the write (1.5 µs or more in this kind of VM), so a line
 * takes three: lock, write, unlock. What a writer must know of the others' work is in the lock file's
 * first 16 bytes, mapped: how many times the file was rolled over (a writer reopens the file when that
 * changed) and the current file's size (for the roll-over; the file is opened for appending, so a
 * writer killed before it updated the size leaves it a line short, and nothing is overwritten). Once a
 * second a writer also checks the file's identity, in case something else moved or deleted it.
 *
 * <p>Thread-safe.
 */
final class AuditFile implements AutoCloseable {

  /** Java's file locks belong to the whole JVM: writers of one file in one JVM take turns here first. */
  private static final ConcurrentHashMap<Path, Object> TURNS = new ConcurrentHashMap<>();
  private static final byte NEWLINE = '\n';
  private static final long IDENTITY_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Offsets of the two counts in the lock file's mapped header. */
  private static final int ROLL_OVERS = 0;
  private static final int SIZE = 8;

  final Path file;
  private final long maxFileBytes;
  private final int backups;
  private final Object turn;
  /** Open on {@code <file>.lock}, which is never renamed, so rolling over does not move the lock. */
  private FileChannel lock;
  private MappedByteBuffer header;
  /** The file that was named {@link #file} when opened, its identity (device, inode), the roll-over count then. */
  private FileChannel log;
  private Object logKey;
  private long logRollOvers;
  private long identityCheckedAt;
  private boolean closed;

  /**
   * @param maxFileBytes roll over before a line would take the file past this
   * @param backups how many rolled-over files to keep ({@code audit.1.jsonl} the newest), 0 for none
   */
  AuditFile(Path file, long maxFileBytes, int backups) {
    if (maxFileBytes <= 0 || backups < 0) {
      throw new IllegalArgumentException("maxFileBytes must be positive and backups at least 0, got " + maxFileBytes
          + " and " + backups);
    }
    this.file = file.toAbsolutePath().normalize();
    this.maxFileBytes = maxFileBytes;
    this.backups = backups;
    this.turn = TURNS.computeIfAbsent(this.file, f -> new Object());
  }

  /** Appends {@code line}, which ends with its line break, in one write. Creates the files on first use. */
  void append(byte[] line) throws IOException {
    locked(append -> {
      append.append(line);
      return null;
    });
  }

  /** Appends lines while {@link #locked} holds the lock. */
  interface Appender {
    void append(byte[] line) throws IOException;
  }

  /** Work that must see the files unchanged by other writers: reading them, then appending. */
  interface LockedWork<T> {
    T run(Appender append) throws IOException;
  }

  /**
   * Runs {@code work} holding the lock: no writer of any process appends or rolls over meanwhile. For
   * rare work only ({@link Reconciliation}): every writer waits for it.
   */
  <T> T locked(LockedWork<T> work) throws IOException {
    synchronized (turn) {
      if (closed) {
        throw new IllegalStateException("the audit log " + file + " is closed");
      }
      // A FileChannel used by an interrupted thread closes itself: clear the interrupt, restore it after.
      boolean interrupted = Thread.interrupted();
      try {
        if (lock == null || !lock.isOpen()) {
          OwnerOnlyFiles.createDirectories(file.getParent());
          lock = OwnerOnlyFiles.open(file.resolveSibling(file.getFileName() + ".lock"));
          header = lock.map(FileChannel.MapMode.READ_WRITE, 0, 2 * Long.BYTES);
        }
        try (FileLock held = lock.lock()) {
          return work.run(this::appendHeld);
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private void appendHeld(byte[] line) throws IOException {
    long size = currentSize();
    if (size > 0 && size + line.length > maxFileBytes) {
      rollOver();
      size = currentSize();
    }
    ByteBuffer bytes = ByteBuffer.wrap(line);
    while (bytes.hasRemaining()) {
      log.write(bytes);
    }
    header.putLong(SIZE, size + line.length);
  }

  /** The trail's files, oldest first ({@code audit.4.jsonl} ... {@code audit.jsonl}); some may not exist. */
  List<Path> files() {
    List<Path> files = new ArrayList<>();
    for (int i = backups; i >= 1; i--) {
      files.add(numbered(i));
    }
    files.add(file);
    return files;
  }

  @Override
  public void close() throws IOException {
    synchronized (turn) {
      closed = true;
      try (FileChannel l = lock; FileChannel f = log) {
        lock = null;
        log = null;
        header = null; // unmapped when collected
      }
    }
  }

  /**
   * The size of the file now named {@link #file}, opened anew if another writer rolled ours over (or
   * something else moved it); then the size is the file's own, and a line that a crash left
   * unfinished is ended first, so the next starts apart.
   */
  private long currentSize() throws IOException {
    if (log != null && log.isOpen() && header.getLong(ROLL_OVERS) == logRollOvers && sameFileNow()) {
      return header.getLong(SIZE);
    }
    if (log != null) {
      log.close();
    }
    log = OwnerOnlyFiles.openForAppend(file);
    logKey = keyOf(file);
    logRollOvers = header.getLong(ROLL_OVERS);
    identityCheckedAt = System.nanoTime();
    long size = log.size();
    if (size > 0 && lastByte(size) != NEWLINE) {
      size += log.write(ByteBuffer.wrap(new byte[] {NEWLINE}));
    }
    header.putLong(SIZE, size);
    return size;
  }

  /** False if a check is due and finds another file (or none) under the name. */
  private boolean sameFileNow() throws IOException {
    if (System.nanoTime() - identityCheckedAt < IDENTITY_CHECK_NANOS) {
      return true;
    }
    identityCheckedAt = System.nanoTime();
    Object key = keyOf(file);
    return key != null && key.equals(logKey);
  }

  private static Object keyOf(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Read through a channel of its own: Java opens no channel for both reading and appending. */
  private byte lastByte(long size) throws IOException {
    try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      reader.read(one, size - 1);
      return one.get(0);
    }
  }

  private void rollOver() throws IOException {
    header.putLong(ROLL_OVERS, header.getLong(ROLL_OVERS) + 1); // first: if a move fails, others look again
    log.close();
    log = null;
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
  }

  /** {@code audit.3.jsonl} for {@code audit.jsonl} and 3. */
  private Path numbered(int index) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String numbered = dot < 0 ? name + "." + index : name.substring(0, dot) + "." + index + name.substring(dot);
    return file.resolveSibling(numbered);
  }
}
