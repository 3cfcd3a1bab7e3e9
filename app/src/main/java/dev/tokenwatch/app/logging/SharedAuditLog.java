package dev.tokenwatch.app.logging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The audit log file that every writer's {@link AuditRing} drains into: {@code audit.jsonl}, rolled
 * over by size ({@code audit.1.jsonl} is the newest older file). Written by one copier at a time, the
 * holder of an OS lock on {@code <file>.lock} (never renamed, so rolling over does not move it).
 *
 * <p>Exactly once: before each copy the ring records where its bytes are going ({@link
 * AuditRing#beginCopy}), and afterwards how far it got ({@link AuditRing#copiedTo}). A copier that
 * dies in between leaves a pending copy; the next copy of that ring compares the log's bytes with the
 * ring's, counts what is there as copied and finishes a copy that a kill cut short.
 *
 * <p>Not thread-safe: one instance per {@link AuditFile}, which copies one ring at a time.
 */
final class SharedAuditLog {

  /** Java's file locks belong to the whole JVM: writers in one JVM take turns here first. */
  private static final ConcurrentHashMap<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();
  private static final int TAIL_CHUNK = 64 * 1024;
  private static final byte NEWLINE = '\n';

  final Path file;
  private final long maxFileBytes;
  private final int backups;
  private final Object inProcess;
  private FileChannel lockChannel;

  SharedAuditLog(Path file, long maxFileBytes, int backups) {
    this.file = file.toAbsolutePath().normalize();
    this.maxFileBytes = maxFileBytes;
    this.backups = backups;
    this.inProcess = IN_PROCESS.computeIfAbsent(this.file, f -> new Object());
  }

  /** Copies every line written to {@code ring} and not yet copied, rolling the file over as it fills. */
  void copyFrom(AuditRing ring) throws IOException {
    synchronized (inProcess) {
      try (FileLock held = lockChannel().lock()) {
        copyLocked(ring);
      }
    }
  }

  /** Lets go of the lock file. */
  void close() throws IOException {
    if (lockChannel != null) {
      lockChannel.close();
      lockChannel = null;
    }
  }

  private void copyLocked(AuditRing ring) throws IOException {
    FileChannel log = OwnerOnlyFiles.open(file, true);
    try {
      long size = log.size();
      boolean finishingTornCopy = resolvePending(ring, log, size);
      if (!finishingTornCopy && size > 0) {
        size = repairTail(log, size);
      }
      long from = ring.copied();
      long to = ring.written();
      while (from < to) {
        long end = to;
        if (size + (to - from) > maxFileBytes) {
          long firstLineEnd = lineEnd(ring, from, to);
          if (size > 0 && size + (firstLineEnd - from) > maxFileBytes) {
            log.close();
            rollOver();
            log = OwnerOnlyFiles.open(file, true);
            size = 0;
            continue;
          }
          end = lastLineEndWithin(ring, firstLineEnd, to, from + (maxFileBytes - size));
        }
        ring.beginCopy(end, size);
        for (ByteBuffer slice : ring.slices(from, end)) {
          while (slice.hasRemaining()) {
            size += log.write(slice, size);
          }
        }
        ring.copiedTo(end);
        from = end;
      }
    } finally {
      log.close();
    }
  }

  /**
   * Settles a copy that an earlier copier of {@code ring} began and did not record as done. Returns
   * true when the log ends with the first part of that copy (a kill cut the write short), which is
   * then finished from where it stopped.
   */
  private boolean resolvePending(AuditRing ring, FileChannel log, long size) throws IOException {
    long start = ring.copied();
    long end = ring.pendingEnd();
    if (end <= start) {
      return false;
    }
    long offset = ring.pendingOffset();
    long length = end - start;
    long present = Math.min(length, size - offset);
    if (present > 0 && sameBytes(log, offset, ring, start, present)) {
      if (present == length) {
        ring.copiedTo(end);
        return false;
      }
      if (offset + present == size) {
        ring.copiedTo(start + present);
        return true;
      }
    }
    Path newest = numbered(1);
    if (backups > 0 && Files.exists(newest)) { // rolled over since the copy
      try (FileChannel older = FileChannel.open(newest, StandardOpenOption.READ)) {
        if (older.size() >= offset + length && sameBytes(older, offset, ring, start, length)) {
          ring.copiedTo(end);
        }
      }
    }
    return false;
  }

  private static boolean sameBytes(FileChannel channel, long offset, AuditRing ring, long start, long length)
      throws IOException {
    ByteBuffer fromFile = ByteBuffer.allocate((int) length);
    while (fromFile.hasRemaining()) {
      if (channel.read(fromFile, offset + fromFile.position()) < 0) {
        return false;
      }
    }
    fromFile.flip();
    for (ByteBuffer slice : ring.slices(start, start + length)) {
      ByteBuffer part = fromFile.slice(fromFile.position(), slice.remaining());
      if (!part.equals(slice)) {
        return false;
      }
      fromFile.position(fromFile.position() + slice.remaining());
    }
    return true;
  }

  /**
   * Makes the log end with a whole line: cuts off the NUL bytes that a crashed writer of the previous
   * format left mapped past its last line, and ends a line torn by a crash, so the next starts apart.
   */
  private static long repairTail(FileChannel log, long size) throws IOException {
    byte last = lastByte(log, size);
    if (last == 0) {
      size = dataEnd(log, size);
      log.truncate(size);
      if (size == 0) {
        return 0;
      }
      last = lastByte(log, size);
    }
    if (last != NEWLINE) {
      size += log.write(ByteBuffer.wrap(new byte[] {NEWLINE}), size);
    }
    return size;
  }

  private static byte lastByte(FileChannel channel, long size) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    channel.read(one, size - 1);
    return one.get(0);
  }

  private static long dataEnd(FileChannel channel, long size) throws IOException {
    long end = size;
    ByteBuffer chunk = ByteBuffer.allocate(TAIL_CHUNK);
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

  /** The position after the first line break at or after {@code from} (or {@code to}). */
  private static long lineEnd(AuditRing ring, long from, long to) {
    for (long p = from; p < to; p++) {
      if (ring.byteAt(p) == NEWLINE) {
        return p + 1;
      }
    }
    return to;
  }

  /** The last line end at or before {@code limit}, but not before {@code atLeast} (a line end itself). */
  private static long lastLineEndWithin(AuditRing ring, long atLeast, long to, long limit) {
    for (long p = Math.min(limit, to) - 1; p >= atLeast; p--) {
      if (ring.byteAt(p) == NEWLINE) {
        return p + 1;
      }
    }
    return atLeast;
  }

  private void rollOver() throws IOException {
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

  private Path numbered(int index) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String numbered = dot < 0 ? name + "." + index : name.substring(0, dot) + "." + index + name.substring(dot);
    return file.resolveSibling(numbered);
  }

  private FileChannel lockChannel() throws IOException {
    if (lockChannel == null || !lockChannel.isOpen()) {
      lockChannel = OwnerOnlyFiles.open(file.resolveSibling(file.getFileName() + ".lock"), false);
    }
    return lockChannel;
  }
}
