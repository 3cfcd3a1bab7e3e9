package dev.tokenwatch.persistence.file;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The de-duplication entries of snapshot generation G, in {@code dedup-G.bin}, read by positional
 * reads so that memory does not grow with the number of request ids.
 *
 * <pre>
 * header   "twdedup\n", version (int 1), 0 (int), generation (long)            24 bytes
 * per budget, at the offset its snapshot entry names ("counted": {"offset", "entries", ...}):
 *   records    entries x 56 bytes, strictly ascending by key (signed):
 *              key (long), period index (int), model index (int),
 *              input, output, cacheCreation, cacheRead, total (long each)
 *   index      the key of every 64th record (records 0, 64, 128, ...), one long each
 *   bloom      "bloomWords" longs: a Bloom filter of the keys, 10 bits per key, 7 probes
 * </pre>
 *
 * Numbers are big-endian. The period and model indexes refer to the budget's {@code "periods"} and
 * {@code "models"} lists in the snapshot of the same generation. The snapshot also records each
 * section's CRC32C (over records, index and filter) and the file's size: the size is checked when
 * the file is opened, indexes and key order on every block read, and the checksum whenever a
 * compaction streams a section into the next generation, so damage is refused (naming this file and
 * the offset) before it could be copied forward.
 *
 * <p>A lookup costs the filter's probes in memory and, when the key may be present, one read of a
 * 64-record block (3.5 KiB) found through the in-memory index. Index and filter (about 1.4 bytes
 * per key) are loaded on a section's first lookup, so commands that only report never read them.
 */
final class DedupFile implements Closeable {

  static final int VERSION = 1;
  static final int HEADER_BYTES = 24;
  static final int RECORD_BYTES = 56;
  static final int BLOCK_RECORDS = 64;
  private static final int BLOOM_BITS_PER_KEY = 10;
  private static final int BLOOM_PROBES = 7;
  private static final byte[] MAGIC = "twdedup\n".getBytes(StandardCharsets.US_ASCII);

  private final Path path;
  private final FileChannel channel;
  private final long size;

  private DedupFile(Path path, FileChannel channel, long size) {
    this.path = path;
    this.channel = channel;
    this.size = size;
  }

  static String fileName(long generation) {
    return "dedup-" + generation + ".bin";
  }

  Path path() {
    return path;
  }

  /**
   * Opens the file of {@code generation} and checks its header and size against the snapshot's.
   *
   * @throws StoreFileException if it is missing, of another size, or not this generation's file
   */
  static DedupFile open(Path path, long generation, long expectedBytes) {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new StoreFileException(path, -1, "is missing; snapshot generation " + generation + " keeps its"
          + " de-duplication entries there. Restore the directory from a backup", e);
    } catch (IOException e) {
      throw new StoreFileException(path, -1, "cannot be opened: " + e, e);
    }
    try {
      long size = channel.size();
      if (size != expectedBytes) {
        throw new StoreFileException(path, -1, "has " + size + " bytes, but the snapshot says " + expectedBytes
            + "; it was changed outside tokenwatch. Restore the directory from a backup");
      }
      if (size < HEADER_BYTES) {
        throw new StoreFileException(path, 0, "is too short for its header");
      }
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
      readFully(channel, path, header, 0);
      header.flip();
      byte[] magic = new byte[MAGIC.length];
      header.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new StoreFileException(path, 0, "is not a tokenwatch de-duplication file");
      }
      int version = header.getInt();
      if (version != VERSION) {
        throw new StoreFileException(path, 8, "has version " + version + "; this tokenwatch reads version "
            + VERSION);
      }
      header.getInt();
      long fileGeneration = header.getLong();
      if (fileGeneration != generation) {
        throw new StoreFileException(path, 16, "says it is generation " + fileGeneration + ", but the snapshot"
            + " is generation " + generation);
      }
      return new DedupFile(path, channel, size);
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      if (e instanceof IOException io) {
        throw new StoreFileException(path, -1, "cannot be read: " + e, io);
      }
      throw (RuntimeException) e;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Where a budget's section lies and what its indexes refer to, as the snapshot states it. */
  record SectionInfo(long offset, long entries, int bloomWords, long crc) {

    long bytes() {
      return entries * RECORD_BYTES + blocks(entries) * 8L + bloomWords * 8L;
    }
  }

  static long blocks(long entries) {
    return (entries + BLOCK_RECORDS - 1) / BLOCK_RECORDS;
  }

  /** The section of one budget; {@code periods} and {@code models} resolve its indexes. */
  Section section(SectionInfo info, Instant[] periods, String[] models) {
    if (info.offset() < HEADER_BYTES || info.entries() < 0 || info.bloomWords() < 1
        || info.offset() + info.bytes() > size || info.entries() > Integer.MAX_VALUE / 2) {
      throw new StoreFileException(path, info.offset(), "the snapshot names a section (" + info
          + ") that does not fit in the file's " + size + " bytes");
    }
    return new Section(info, periods, models);
  }

  /** One budget's sorted entries. Not thread-safe: used under the store's locks. */
  final class Section {
    final SectionInfo info;
    final Instant[] periods;
    final String[] models;
    private long[] firstKeys;
    private long[] bloom;
    private final ByteBuffer block = ByteBuffer.allocate(BLOCK_RECORDS * RECORD_BYTES);

    private Section(SectionInfo info, Instant[] periods, String[] models) {
      this.info = info;
      this.periods = periods;
      this.models = models;
    }

    /** The entry of {@code key}, or null. */
    BudgetState.Counted find(long key) {
      if (info.entries() == 0) {
        return null;
      }
      loadIndex();
      if (!mightContain(bloom, key)) {
        return null;
      }
      int b = Arrays.binarySearch(firstKeys, key);
      if (b < 0) {
        b = -b - 2; // the last block whose first key is below key
        if (b < 0) {
          return null;
        }
      }
      long first = (long) b * BLOCK_RECORDS;
      int count = (int) Math.min(BLOCK_RECORDS, info.entries() - first);
      long at = info.offset() + first * RECORD_BYTES;
      block.clear().limit(count * RECORD_BYTES);
      read(block, at);
      int lo = 0;
      int hi = count - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        long k = block.getLong(mid * RECORD_BYTES);
        if (k < key) {
          lo = mid + 1;
        } else if (k > key) {
          hi = mid - 1;
        } else {
          return decode(block, mid * RECORD_BYTES, at + (long) mid * RECORD_BYTES);
        }
      }
      return null;
    }

    private void loadIndex() {
      if (bloom != null) {
        return;
      }
      int blocks = (int) blocks(info.entries());
      ByteBuffer tail = ByteBuffer.allocate(blocks * 8 + info.bloomWords() * 8);
      long at = info.offset() + info.entries() * RECORD_BYTES;
      read(tail, at);
      long[] keys = new long[blocks];
      for (int i = 0; i < blocks; i++) {
        keys[i] = tail.getLong();
        if (i > 0 && keys[i] <= keys[i - 1]) {
          throw new StoreFileException(path, at + i * 8L, "its block index is not in ascending order; the file"
              + " was damaged outside tokenwatch. Restore the directory from a backup");
        }
      }
      long[] bits = new long[info.bloomWords()];
      tail.asLongBuffer().get(bits);
      firstKeys = keys;
      bloom = bits;
    }

    private BudgetState.Counted decode(ByteBuffer records, int index, long fileOffset) {
      int period = records.getInt(index + 8);
      int model = records.getInt(index + 12);
      if (period < 0 || period >= periods.length || model < 0 || model >= models.length) {
        throw new StoreFileException(path, fileOffset, "a record names period " + period + " or model " + model
            + ", which the snapshot does not list; the file was damaged outside tokenwatch");
      }
      return new BudgetState.Counted(periods[period], models[model], records.getLong(index + 16),
          records.getLong(index + 24), records.getLong(index + 32), records.getLong(index + 40),
          records.getLong(index + 48));
    }

    /** Reads every entry in key order, checking order and, at the end, the section's checksum. */
    Cursor cursor() {
      return new Cursor(this);
    }
  }

  /** A sequential reader of one section, for the merge into the next generation. */
  final class Cursor {
    private final Section section;
    private final ByteBuffer buffer = ByteBuffer.allocate(1024 * RECORD_BYTES);
    private final CRC32C crc = new CRC32C();
    private long next;
    private long bufferStart;
    private long key;
    private BudgetState.Counted counted;

    private Cursor(Section section) {
      this.section = section;
      buffer.limit(0);
    }

    /** Moves to the next entry; false at the end (after checking the checksum). */
    boolean advance() {
      if (next == section.info.entries()) {
        if (next >= 0) {
          verifyChecksum();
          next = -1;
        }
        return false;
      }
      if (next < 0) {
        return false;
      }
      if (!buffer.hasRemaining()) {
        int count = (int) Math.min(buffer.capacity() / RECORD_BYTES, section.info.entries() - next);
        bufferStart = section.info.offset() + next * RECORD_BYTES;
        buffer.clear().limit(count * RECORD_BYTES);
        read(buffer, bufferStart);
        crc.update(buffer.array(), 0, buffer.limit());
        buffer.position(0);
      }
      int at = buffer.position();
      long k = buffer.getLong(at);
      long fileOffset = bufferStart + at;
      if (next > 0 && k <= key) {
        throw new StoreFileException(path, fileOffset, "its records are not in ascending key order; the file was"
            + " damaged outside tokenwatch. Restore the directory from a backup");
      }
      key = k;
      counted = section.decode(buffer, at, fileOffset);
      buffer.position(at + RECORD_BYTES);
      next++;
      return true;
    }

    long key() {
      return key;
    }

    BudgetState.Counted counted() {
      return counted;
    }

    private void verifyChecksum() {
      SectionInfo info = section.info;
      long at = info.offset() + info.entries() * RECORD_BYTES;
      ByteBuffer tail = ByteBuffer.allocate((int) (info.bytes() - info.entries() * RECORD_BYTES));
      read(tail, at);
      crc.update(tail.array(), 0, tail.limit());
      if (crc.getValue() != info.crc()) {
        throw new StoreFileException(path, info.offset(), String.format("the section of %d entries has checksum"
            + " %08x, but the snapshot says %08x; the file was damaged outside tokenwatch. Restore the directory"
            + " from a backup", info.entries(), crc.getValue(), info.crc()));
      }
    }
  }

  private void read(ByteBuffer target, long at) {
    try {
      readFully(channel, path, target, at);
    } catch (IOException e) {
      throw new StoreFileException(path, at, "cannot be read: " + e, e);
    }
    target.flip();
  }

  private static void readFully(FileChannel channel, Path path, ByteBuffer target, long from) throws IOException {
    long at = from;
    while (target.hasRemaining()) {
      int n = channel.read(target, at);
      if (n < 0) {
        throw new StoreFileException(path, at, "ends early, at byte " + at);
      }
      at += n;
    }
  }

  static boolean mightContain(long[] bloom, long key) {
    long bits = (long) bloom.length * 64;
    long h2 = probeStep(key);
    long h = key;
    for (int i = 0; i < BLOOM_PROBES; i++, h += h2) {
      long bit = Math.floorMod(h, bits);
      if ((bloom[(int) (bit >>> 6)] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  private static void addToBloom(long[] bloom, long key) {
    long bits = (long) bloom.length * 64;
    long h2 = probeStep(key);
    long h = key;
    for (int i = 0; i < BLOOM_PROBES; i++, h += h2) {
      long bit = Math.floorMod(h, bits);
      bloom[(int) (bit >>> 6)] |= 1L << bit;
    }
  }

  /** The second hash of double hashing: the key is already a mixed 64-bit hash, so a rotation of it suffices. */
  private static long probeStep(long key) {
    return Long.rotateLeft(key, 32) * 0x9E3779B97F4A7C15L | 1;
  }

  /** Writes a generation's file: the header, then one section per budget. */
  static final class Writer {
    private final OutputStream out;
    private final ByteBuffer chunk = ByteBuffer.allocate(1024 * RECORD_BYTES);
    private final CRC32C crc = new CRC32C();
    private long position;
    private long sectionOffset = -1;
    private long entries;
    private long lastKey;
    private long[] firstKeys;
    private long[] bloom;

    Writer(OutputStream out, long generation) throws IOException {
      this.out = out;
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
      header.put(MAGIC).putInt(VERSION).putInt(0).putLong(generation);
      out.write(header.array());
      position = HEADER_BYTES;
    }

    /** Starts a section of at most {@code maxEntries} entries (sizes the filter). */
    void begin(long maxEntries) {
      sectionOffset = position;
      entries = 0;
      crc.reset();
      firstKeys = new long[(int) Math.max(1, blocks(maxEntries))];
      bloom = new long[(int) Math.max(1, (maxEntries * BLOOM_BITS_PER_KEY + 63) / 64)];
      chunk.clear();
    }

    /** Adds the next entry; keys must come in strictly ascending order. */
    void add(long key, int periodIndex, int modelIndex, BudgetState.Counted c) throws IOException {
      if (entries > 0 && key <= lastKey) {
        throw new IllegalStateException("de-duplication keys out of order: " + key + " after " + lastKey);
      }
      if (entries % BLOCK_RECORDS == 0) {
        firstKeys[(int) (entries / BLOCK_RECORDS)] = key;
      }
      addToBloom(bloom, key);
      if (chunk.remaining() < RECORD_BYTES) {
        flushChunk();
      }
      chunk.putLong(key).putInt(periodIndex).putInt(modelIndex).putLong(c.input()).putLong(c.output())
          .putLong(c.cacheCreation()).putLong(c.cacheRead()).putLong(c.total());
      lastKey = key;
      entries++;
    }

    /** Writes the section's index and filter; returns what the snapshot must record about it. */
    SectionInfo end() throws IOException {
      int blocks = (int) blocks(entries);
      ByteBuffer tail = ByteBuffer.allocate(8 * (blocks + bloom.length));
      for (int i = 0; i < blocks; i++) {
        tail.putLong(firstKeys[i]);
      }
      for (long word : bloom) {
        tail.putLong(word);
      }
      flushChunk();
      crc.update(tail.array(), 0, tail.position());
      out.write(tail.array(), 0, tail.position());
      position += tail.position();
      SectionInfo info = new SectionInfo(sectionOffset, entries, bloom.length, crc.getValue());
      firstKeys = null;
      bloom = null;
      return info;
    }

    private void flushChunk() throws IOException {
      crc.update(chunk.array(), 0, chunk.position());
      out.write(chunk.array(), 0, chunk.position());
      position += chunk.position();
      chunk.clear();
    }

    /** Bytes written so far. */
    long size() {
      return position;
    }
  }
}
