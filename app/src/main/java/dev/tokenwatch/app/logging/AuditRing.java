package dev.tokenwatch.app.logging;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer's landing zone for audit lines: a ring of bytes in a memory-mapped file beside the
 * audit log, owned (OS-locked) by one {@link AuditFile} for its lifetime.
 *
 * <p>A line counts as written once its bytes are in the ring and {@code written} has moved past
 * them: both are stores into a shared file mapping, in the kernel's page cache the moment they
 * happen, so a crash of the process loses no line that was logged. The ring is mapped once and its
 * pages stay mapped, so after the first lap a line costs a memory copy, not a page fault.
 * {@link SharedAuditLog} copies lines from the ring into the audit log; a ring whose owner died is
 * copied by the next process that looks ({@link #openOrphan}).
 *
 * <pre>
 * header (4 KB, little-endian longs): 0 magic, 8 capacity, 64 written, 128 copied,
 *   192 pendingEnd, 200 pendingOffset (a copy in progress: ring bytes up to pendingEnd going to
 *   the audit log at pendingOffset; see SharedAuditLog)
 * data: capacity bytes; stream position p is at 4096 + p % capacity
 * </pre>
 * Positions are bytes since the ring was created; {@code copied <= written <= copied + capacity}.
 */
final class AuditRing {

  static final int HEADER_BYTES = 4096;
  private static final long MAGIC = 0x31474e4952574b54L; // "TKWRING1" read as little-endian text
  private static final int MAGIC_AT = 0;
  private static final int CAPACITY_AT = 8;
  private static final int WRITTEN_AT = 64; // its own cache line: the writer stores it, the copier reads it
  private static final int COPIED_AT = 128;
  private static final int PENDING_END_AT = 192;
  private static final int PENDING_OFFSET_AT = 200;
  private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  final Path path;
  private final FileChannel channel; // open while the ring is held: closing it releases the lock
  private final MappedByteBuffer map;
  final int capacity;
  /** The writer's own copy of {@code written}: only the owning writer moves it. */
  private long written;

  private AuditRing(Path path, FileChannel channel, MappedByteBuffer map, int capacity) {
    this.path = path;
    this.channel = channel;
    this.map = map;
    this.capacity = capacity;
    this.written = (long) LONGS.getVolatile(map, WRITTEN_AT);
  }

  /** Creates the ring at {@code path} (which must not exist) and holds it until {@link #delete}. */
  static AuditRing create(Path path, int capacity) throws IOException {
    if (capacity <= 0) {
      throw new IllegalArgumentException("ring capacity must be positive, got " + capacity);
    }
    FileChannel channel = OwnerOnlyFiles.createNew(path);
    try {
      channel.lock();
      // Sparse: disk blocks are taken only as the first lap writes them.
      MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, HEADER_BYTES + (long) capacity);
      LONGS.set(map, CAPACITY_AT, (long) capacity);
      LONGS.setVolatile(map, MAGIC_AT, MAGIC); // last: a ring without it never held a line
      return new AuditRing(path, channel, map, capacity);
    } catch (IOException | RuntimeException e) {
      closeSuppressing(channel, e);
      throw e;
    }
  }

  /**
   * Takes over the ring at {@code path} if no live writer holds it: null when one does, or when the
   * file is gone (another process took it over first and deleted it) or never held a line (its
   * creator died before writing the header: deleted here).
   *
   * @throws IOException if the file is not a ring this version can read (it is left as it is)
   */
  static AuditRing openOrphan(Path path) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      return null;
    }
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by another AuditFile of this JVM
      }
      if (lock == null || !Files.exists(path)) {
        channel.close();
        return null;
      }
      long size = channel.size();
      ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(header, 0);
      if (header.position() < 16 || header.getLong(MAGIC_AT) == 0) {
        Files.delete(path); // created but never written: nothing to recover
        channel.close();
        return null;
      }
      long capacity = header.getLong(CAPACITY_AT);
      if (header.getLong(MAGIC_AT) != MAGIC || capacity <= 0 || capacity > Integer.MAX_VALUE
          || size != HEADER_BYTES + capacity) {
        throw new IOException("audit ring " + path + " is not a ring this version can read (size " + size
            + " bytes, capacity field " + capacity + "); it is left as it is");
      }
      MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
      AuditRing ring = new AuditRing(path, channel, map, (int) capacity);
      long copied = ring.copied();
      if (copied < 0 || ring.written < copied || ring.written - copied > capacity || ring.pendingEnd() > ring.written) {
        throw new IOException("audit ring " + path + " has inconsistent positions (written " + ring.written
            + ", copied " + copied + ", pending end " + ring.pendingEnd() + ", capacity " + capacity
            + "); it is left as it is");
      }
      return ring;
    } catch (IOException | RuntimeException e) {
      closeSuppressing(channel, e);
      throw e;
    }
  }

  // ---- writer side (one thread at a time: the owning AuditFile's lock) ----

  /** Room for this many more bytes before the copier must catch up. */
  long free() {
    return capacity - (written - copied());
  }

  /** Puts bytes after the last ones put; the caller made sure {@link #free} has room. */
  void put(byte[] bytes, int offset, int length) {
    int at = (int) (written % capacity);
    int first = Math.min(length, capacity - at);
    map.put(HEADER_BYTES + at, bytes, offset, first);
    if (first < length) {
      map.put(HEADER_BYTES, bytes, offset + first, length - first);
    }
    written += length;
  }

  void putLineBreak() {
    map.put(HEADER_BYTES + (int) (written % capacity), (byte) '\n');
    written++;
  }

  /** Publishes what was put: from here on the bytes are written, for the copier and for recovery. */
  void commit() {
    LONGS.setVolatile(map, WRITTEN_AT, written);
  }

  // ---- copier side ----

  long written() {
    return (long) LONGS.getVolatile(map, WRITTEN_AT);
  }

  long copied() {
    return (long) LONGS.getAcquire(map, COPIED_AT);
  }

  long pendingEnd() {
    return (long) LONGS.getAcquire(map, PENDING_END_AT);
  }

  long pendingOffset() {
    return (long) LONGS.getAcquire(map, PENDING_OFFSET_AT);
  }

  /** Records that ring bytes from {@link #copied} to {@code end} are about to go to the audit log at {@code offset}. */
  void beginCopy(long end, long offset) {
    LONGS.setRelease(map, PENDING_OFFSET_AT, offset);
    LONGS.setVolatile(map, PENDING_END_AT, end);
  }

  void copiedTo(long position) {
    LONGS.setVolatile(map, COPIED_AT, position);
  }

  /** The byte at stream position {@code position} (which must still be in the ring). */
  byte byteAt(long position) {
    return map.get(HEADER_BYTES + (int) (position % capacity));
  }

  /** The ring bytes from {@code from} to {@code to} as one or two buffers (views of the mapping). */
  ByteBuffer[] slices(long from, long to) {
    int at = (int) (from % capacity);
    int length = (int) (to - from);
    int first = Math.min(length, capacity - at);
    ByteBuffer head = map.slice(HEADER_BYTES + at, first);
    return first == length
        ? new ByteBuffer[] {head}
        : new ByteBuffer[] {head, map.slice(HEADER_BYTES, length - first)};
  }

  /** Deletes the ring's file and lets go of it; only once everything written was copied. */
  void delete() throws IOException {
    try {
      Files.deleteIfExists(path);
    } finally {
      channel.close();
    }
  }

  /** Lets go of the ring and leaves its file for the next process to copy. */
  void abandon() throws IOException {
    channel.close();
  }

  private static void closeSuppressing(FileChannel channel, Exception into) {
    try {
      channel.close();
    } catch (IOException e) {
      into.addSuppressed(e);
    }
  }
}
