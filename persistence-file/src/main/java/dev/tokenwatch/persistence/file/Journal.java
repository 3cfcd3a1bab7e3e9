package dev.tokenwatch.persistence.file;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One generation's journal, {@code journal-G.log}: the operations since the generation's files were
 * written, appended and forced before each call returns.
 *
 * <pre>
 * header   "twjournl", version (int), 0 (int), generation (long), store id (2 longs), CRC32C (int)  44 bytes
 * records  framed as {@link JournalRecord} describes: length, CRC32C, payload
 * </pre>
 *
 * Version 2 records carry costs and windows' scopes; a version-1 journal (before them) is read, and
 * the store compacts it into a new generation right after opening it (see {@link LedgerFiles}), so
 * nothing but a seal is ever appended to it.
 *
 * <pre>
 * </pre>
 *
 * A crash mid-append leaves a prefix of the last write: a frame whose length is cut or whose payload
 * is shorter than its length. That torn tail was never acknowledged; it is dropped with a warning and
 * cut off before the next append. A complete frame whose checksum does not match is damage from
 * outside (a process writes a frame whole or not at all), and so is a file shorter than what was
 * already read from it: refused, naming the file and offset, and nothing is written.
 */
final class Journal implements Closeable {

  private static final Logger LOG = LogManager.getLogger(Journal.class);

  static final int VERSION = 2;
  /** The layout before costs and scopes. */
  static final int VERSION_WITHOUT_COST = 1;
  static final int HEADER_BYTES = 44;
  private static final byte[] MAGIC = "twjournl".getBytes(StandardCharsets.US_ASCII);

  private final Path path;
  private final FileChannel channel;
  private final int version;
  /** End of the last complete record read or written: where the next one goes. */
  private long position = HEADER_BYTES;
  /** The file's size as last seen (under the OS lock nobody else changes it). */
  private long size;
  /** End of the last {@code Pending} record: only compaction writes them, first, so they end the carried part. */
  private long carriedEnd = HEADER_BYTES;
  private long tornWarnedAt = -1;

  private Journal(Path path, FileChannel channel, int version) {
    this.path = path;
    this.channel = channel;
    this.version = version;
  }

  /** The layout of the file's records. */
  int version() {
    return version;
  }

  Path path() {
    return path;
  }

  long position() {
    return position;
  }

  /**
   * Bytes of records beyond the outbox entries compaction carried into this journal: what the
   * compaction threshold counts, since compacting cannot shrink the carried entries (were they
   * counted, an outbox larger than the threshold would compact at every write).
   */
  long grownBytes() {
    return position - carriedEnd;
  }

  /** Writes the journal of {@code generation}: its header, then {@code records} (framed), atomically. */
  static void create(Path path, long generation, UUID storeId, BinaryOut records) throws IOException {
    BinaryOut header = header(generation, storeId, VERSION);
    StoreFiles.replaceAtomically(path, out -> {
      out.write(header.array(), 0, header.size());
      out.write(records.array(), 0, records.size());
    });
  }

  private static BinaryOut header(long generation, UUID storeId, int version) {
    BinaryOut header = new BinaryOut(HEADER_BYTES);
    header.putBytes(MAGIC, 0, MAGIC.length);
    header.putInt(version);
    header.putInt(0);
    header.putLong(generation);
    header.putLong(storeId.getMostSignificantBits());
    header.putLong(storeId.getLeastSignificantBits());
    CRC32C crc = new CRC32C();
    crc.update(header.array(), 0, header.size());
    header.putInt((int) crc.getValue());
    return header;
  }

  /**
   * Opens the journal the manifest names and checks its header.
   *
   * @throws StoreFileException naming the file if it is missing, too short, or of another generation
   *     or store
   */
  static Journal open(Path path, long generation, UUID storeId) {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      throw new StoreFileException(path, -1, "is missing; the manifest names it as the journal of generation "
          + generation + ", holding every operation since that generation's files were written. "
          + StoreFiles.RESTORE, e);
    } catch (IOException e) {
      throw new StoreFileException(path, -1, "cannot be opened for reading and writing: " + e, e);
    }
    try {
      long size = channel.size();
      if (size < HEADER_BYTES) {
        throw new StoreFileException(path, 0, "has " + size + " bytes, less than its " + HEADER_BYTES
            + "-byte header; journals are created whole, so it was truncated outside tokenwatch. "
            + StoreFiles.RESTORE);
      }
      ByteBuffer found = StoreFiles.read(channel, path, 0, HEADER_BYTES);
      int version = found.getInt(MAGIC.length);
      version = version == VERSION_WITHOUT_COST ? version : VERSION; // any other: the comparison fails
      BinaryOut expected = header(generation, storeId, version);
      if (!found.equals(ByteBuffer.wrap(expected.array(), 0, expected.size()))) {
        throw new StoreFileException(path, 0, "has a header that is not that of generation " + generation
            + " of this store (the manifest's store id " + storeId + "); it was replaced or changed outside"
            + " tokenwatch. " + StoreFiles.RESTORE);
      }
      Journal journal = new Journal(path, channel, version);
      journal.size = size;
      return journal;
    } catch (RuntimeException e) {
      StoreFiles.closeQuietly(channel, e);
      throw e;
    } catch (IOException e) {
      StoreFiles.closeQuietly(channel, e);
      throw new StoreFileException(path, -1, "cannot be read: " + e, e);
    }
  }

  /** Receives the records read by {@link #catchUp}. */
  @FunctionalInterface
  interface Reader {
    void apply(JournalRecord record, long offset);
  }

  /**
   * Passes every complete record after {@link #position} to {@code reader}, stopping before a torn
   * tail; returns the seal if the journal ends in one, else null.
   */
  JournalRecord.Sealed catchUp(Reader reader) throws IOException {
    long now = channel.size();
    size = now;
    if (now < position) {
      throw new StoreFileException(path, now, "is shorter than the " + position + " bytes already read from it;"
          + " it was truncated outside tokenwatch. " + StoreFiles.RESTORE);
    }
    if (now == position) {
      return null;
    }
    if (now - position > Integer.MAX_VALUE - 64) {
      throw new StoreFileException(path, position, "has more than 2 GiB of records to read at once");
    }
    ByteBuffer data = StoreFiles.read(channel, path, position, (int) (now - position));
    byte[] bytes = data.array();
    int at = 0;
    BinaryIn in = new BinaryIn();
    JournalRecord.Sealed sealed = null;
    while (at < bytes.length) {
      long offset = position;
      if (bytes.length - at < JournalRecord.FRAME) {
        warnTorn(offset, bytes.length - at, "its frame is cut");
        return sealed;
      }
      int length = BinaryIn.intAt(bytes, at);
      int stored = BinaryIn.intAt(bytes, at + 4);
      if (length < 1 || length > bytes.length - at - JournalRecord.FRAME) {
        if ((length >= 1 || allZero(bytes, at)) && sealed == null) {
          // a cut write, or the zeros a power cut can leave where a write had extended the file
          warnTorn(offset, bytes.length - at, length >= 1 ? "its payload is cut" : "zeros");
          return null;
        }
        throw new StoreFileException(path, offset, "has a record of invalid length " + length + "; the journal"
            + " was changed outside tokenwatch. " + StoreFiles.RESTORE);
      }
      CRC32C crc = new CRC32C();
      crc.update(bytes, at + JournalRecord.FRAME, length);
      if ((int) crc.getValue() != stored) {
        throw new StoreFileException(path, offset, String.format("a complete record of %d bytes has checksum"
            + " %08x, but says %08x; a process writes records whole, so it was changed outside tokenwatch. %s",
            length, crc.getValue(), stored, StoreFiles.RESTORE));
      }
      if (sealed != null) {
        throw new StoreFileException(path, offset, "has records after its seal. " + StoreFiles.RESTORE);
      }
      JournalRecord record;
      try {
        record = JournalRecord.decode(in.reset(bytes, at + JournalRecord.FRAME, at + JournalRecord.FRAME + length),
            version);
      } catch (FormatProblem e) {
        throw new StoreFileException(path, offset, "has an unreadable record although its checksum matches ("
            + e.getMessage() + "). " + StoreFiles.RESTORE, e);
      }
      reader.apply(record, offset);
      if (record instanceof JournalRecord.Sealed s) {
        sealed = s;
      }
      at += JournalRecord.FRAME + length;
      position = offset + JournalRecord.FRAME + length;
      if (record instanceof JournalRecord.Pending) {
        carriedEnd = position;
      }
    }
    return sealed;
  }

  private static boolean allZero(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private void warnTorn(long offset, int length, String why) {
    if (tornWarnedAt != offset) {
      tornWarnedAt = offset;
      LOG.warn("{}: dropping an incomplete last record at byte offset {} ({} bytes, {}); a process stopped while"
          + " writing it, so its call never returned. It is cut off before the next append.", path, offset, length,
          why);
    }
  }

  /**
   * Appends {@code records} at {@link #position} (cutting off a torn tail first) and, if {@code
   * force}, forces them (without, they are visible to every process at once and reach the disk with
   * the next forced append or the kernel's writeback).
   */
  void append(BinaryOut records, boolean force) throws IOException {
    long start = position;
    if (size > start) {
      channel.truncate(start); // a torn tail: catchUp just read everything before it
    }
    ByteBuffer bytes = ByteBuffer.wrap(records.array(), 0, records.size());
    long at = start;
    try {
      while (bytes.hasRemaining()) {
        at += channel.write(bytes, at);
      }
      if (force) {
        channel.force(false);
      }
    } catch (IOException e) {
      try {
        channel.truncate(start);
      } catch (IOException truncation) {
        e.addSuppressed(truncation);
      }
      throw e;
    }
    position = at;
    size = at;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
