package dev.tokenwatch.persistence.file;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The request ids of one generation's events, {@code ids-G.dat}: which event (by sequence number)
 * counts each id, read by positional reads so memory does not grow with the number of ids.
 *
 * <pre>
 * header   "twids\0\0\0", version (int), 0 (int), generation (long)                     24 bytes
 * entries  48 bytes each, strictly ascending by key (unsigned high, then low, compared signed):
 *          key high, key low (long: {@link RequestKey}), seq, total (long),
 *          epoch second (long), nano (int), 0 (int)
 * footer   per block of 64 entries: its first key (2 longs) and CRC32C (int); then the Bloom
 *          filter (longs, 10 bits per id, 7 probes)
 * trailer  entries (long), Bloom words (int), footer offset (long)                       20 bytes
 * </pre>
 *
 * The manifest records the size and the CRC32C of footer and trailer, checked on opening; a block's
 * CRC is checked whenever it is read. A lookup probes the filter and, if the id may be there, reads
 * one 3 KiB block found by binary search over the first keys. The entry carries the counted total
 * and timestamp, so a duplicate is decided without reading the event.
 */
final class IdIndex implements Closeable {

  static final int VERSION = 1;
  static final int HEADER_BYTES = 24;
  static final int ENTRY_BYTES = 48;
  static final int BLOCK_ENTRIES = 64;
  private static final int TRAILER_BYTES = 20;
  private static final int BLOOM_BITS_PER_KEY = 10;
  private static final int BLOOM_PROBES = 7;
  private static final byte[] MAGIC = "twids\0\0\0".getBytes(StandardCharsets.US_ASCII);

  /** What the manifest records of a written file. */
  record Summary(long bytes, long footerCrc, long entries) {}

  /** An id's entry: the event counting it. */
  record Entry(long seq, long total, long second, int nano) {}

  private final Path path;
  private final FileChannel channel;
  private final long entries;
  private final long[] firstHigh;
  private final long[] firstLow;
  private final int[] crcs;
  private final long[] bloom;
  private final ByteBuffer block = ByteBuffer.allocate(BLOCK_ENTRIES * ENTRY_BYTES);

  private IdIndex(Path path, FileChannel channel, long entries, long[] firstHigh, long[] firstLow, int[] crcs,
      long[] bloom) {
    this.path = path;
    this.channel = channel;
    this.entries = entries;
    this.firstHigh = firstHigh;
    this.firstLow = firstLow;
    this.crcs = crcs;
    this.bloom = bloom;
  }

  static String fileName(long generation) {
    return "ids-" + generation + ".dat";
  }

  Path path() {
    return path;
  }

  long entries() {
    return entries;
  }

  static long blocks(long entries) {
    return (entries + BLOCK_ENTRIES - 1) / BLOCK_ENTRIES;
  }

  /**
   * Opens the file and checks it against what the manifest says of it.
   *
   * @throws StoreFileException naming the file if it is missing, of another size, or damaged
   */
  static IdIndex open(Path path, long generation, Summary expected) {
    FileChannel channel = StoreFiles.openForReading(path, "the manifest names it as generation " + generation
        + "'s request id index");
    try {
      long size = StoreFiles.sizeAsInManifest(channel, path, expected.bytes());
      ByteBuffer trailer = StoreFiles.read(channel, path, size - TRAILER_BYTES, TRAILER_BYTES);
      long entries = trailer.getLong();
      int bloomWords = trailer.getInt();
      long footerAt = trailer.getLong();
      long blocks = blocks(Math.max(0, entries));
      if (entries < 0 || bloomWords < 1 || footerAt != HEADER_BYTES + entries * ENTRY_BYTES
          || footerAt + blocks * 20 + bloomWords * 8L + TRAILER_BYTES != size) {
        throw new StoreFileException(path, size - TRAILER_BYTES, "has a trailer that does not fit the file. "
            + StoreFiles.RESTORE);
      }
      ByteBuffer footer = StoreFiles.read(channel, path, footerAt, (int) (size - footerAt));
      CRC32C crc = new CRC32C();
      crc.update(footer.duplicate());
      if (crc.getValue() != expected.footerCrc() || entries != expected.entries()) {
        throw new StoreFileException(path, footerAt, String.format("its block index has checksum %08x and %d"
            + " entries, but the manifest says %08x and %d; it was changed outside tokenwatch. %s", crc.getValue(),
            entries, expected.footerCrc(), expected.entries(), StoreFiles.RESTORE));
      }
      StoreFiles.checkHeader(path, StoreFiles.read(channel, path, 0, HEADER_BYTES), MAGIC, VERSION, VERSION, generation);
      int n = (int) blocks;
      long[] high = new long[n];
      long[] low = new long[n];
      int[] crcs = new int[n];
      for (int b = 0; b < n; b++) {
        high[b] = footer.getLong();
        low[b] = footer.getLong();
        crcs[b] = footer.getInt();
      }
      long[] bits = new long[bloomWords];
      footer.asLongBuffer().get(bits);
      return new IdIndex(path, channel, entries, high, low, crcs, bits);
    } catch (RuntimeException e) {
      StoreFiles.closeQuietly(channel, e);
      throw e;
    } catch (IOException e) {
      StoreFiles.closeQuietly(channel, e);
      throw new StoreFileException(path, -1, "cannot be read: " + e, e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static int compare(long h1, long l1, long h2, long l2) {
    int c = Long.compare(h1, h2);
    return c != 0 ? c : Long.compare(l1, l2);
  }

  /** The entry of {@code key}, or null. */
  Entry find(RequestKey key) {
    if (entries == 0 || !mightContain(bloom, key)) {
      return null;
    }
    int lo = 0;
    int hi = firstHigh.length - 1;
    int b = -1;
    while (lo <= hi) { // the last block whose first key is at most key
      int mid = (lo + hi) >>> 1;
      if (compare(firstHigh[mid], firstLow[mid], key.high(), key.low()) <= 0) {
        b = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (b < 0) {
      return null;
    }
    int count = readBlock(b);
    int l = 0;
    int h = count - 1;
    while (l <= h) {
      int mid = (l + h) >>> 1;
      int at = mid * ENTRY_BYTES;
      int c = compare(block.getLong(at), block.getLong(at + 8), key.high(), key.low());
      if (c < 0) {
        l = mid + 1;
      } else if (c > 0) {
        h = mid - 1;
      } else {
        return new Entry(block.getLong(at + 16), block.getLong(at + 24), block.getLong(at + 32),
            block.getInt(at + 40));
      }
    }
    return null;
  }

  private int readBlock(int b) {
    long first = (long) b * BLOCK_ENTRIES;
    int count = (int) Math.min(BLOCK_ENTRIES, entries - first);
    long at = HEADER_BYTES + first * ENTRY_BYTES;
    block.clear().limit(count * ENTRY_BYTES);
    StoreFiles.readFully(channel, path, block, at);
    CRC32C crc = new CRC32C();
    crc.update(block.array(), 0, count * ENTRY_BYTES);
    if ((int) crc.getValue() != crcs[b]) {
      throw new StoreFileException(path, at, String.format("block %d has checksum %08x, but its index says %08x;"
          + " the file was changed outside tokenwatch. %s", b, crc.getValue(), crcs[b], StoreFiles.RESTORE));
    }
    return count;
  }

  /** Reads every entry in key order, checking each block, for the merge into the next generation. */
  final class Cursor {
    private int nextBlock;
    private int inBlock;
    private int blockCount;
    long high;
    long low;
    long seq;
    long total;
    long second;
    int nano;

    /** Moves to the next entry; false at the end. */
    boolean advance() {
      if (inBlock == blockCount) {
        if (nextBlock >= firstHigh.length) {
          return false;
        }
        blockCount = readBlock(nextBlock++);
        inBlock = 0;
      }
      int at = inBlock++ * ENTRY_BYTES;
      high = block.getLong(at);
      low = block.getLong(at + 8);
      seq = block.getLong(at + 16);
      total = block.getLong(at + 24);
      second = block.getLong(at + 32);
      nano = block.getInt(at + 40);
      return true;
    }
  }

  Cursor cursor() {
    return new Cursor();
  }

  static boolean mightContain(long[] bloom, RequestKey key) {
    long bits = (long) bloom.length * 64;
    long h = key.high();
    long step = key.low() | 1;
    for (int i = 0; i < BLOOM_PROBES; i++, h += step) {
      long bit = Math.floorMod(h, bits);
      if ((bloom[(int) (bit >>> 6)] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  private static void addToBloom(long[] bloom, long high, long low) {
    long bits = (long) bloom.length * 64;
    long h = high;
    long step = low | 1;
    for (int i = 0; i < BLOOM_PROBES; i++, h += step) {
      long bit = Math.floorMod(h, bits);
      bloom[(int) (bit >>> 6)] |= 1L << bit;
    }
  }

  /** Writes a generation's index: entries in strictly ascending key order, then the footer. */
  static final class Writer {
    private final OutputStream out;
    private final ByteBuffer chunk = ByteBuffer.allocate(BLOCK_ENTRIES * ENTRY_BYTES);
    private final BinaryOut footer = new BinaryOut(4096);
    private final long[] bloom;
    private long entries;
    private long lastHigh;
    private long lastLow;

    /** A writer of at most {@code maxEntries} entries (sizes the filter). */
    Writer(OutputStream out, long generation, long maxEntries) throws IOException {
      this.out = out;
      this.bloom = new long[(int) Math.max(1, (maxEntries * BLOOM_BITS_PER_KEY + 63) / 64)];
      BinaryOut header = new BinaryOut(HEADER_BYTES);
      header.putBytes(MAGIC, 0, MAGIC.length);
      header.putInt(VERSION);
      header.putInt(0);
      header.putLong(generation);
      out.write(header.array(), 0, header.size());
    }

    void add(long high, long low, long seq, long total, long second, int nano) throws IOException {
      if (entries > 0 && compare(high, low, lastHigh, lastLow) <= 0) {
        throw new IllegalStateException("request keys out of order");
      }
      if (chunk.position() == 0) {
        footer.putLong(high);
        footer.putLong(low);
      }
      chunk.putLong(high).putLong(low).putLong(seq).putLong(total).putLong(second).putInt(nano).putInt(0);
      addToBloom(bloom, high, low);
      lastHigh = high;
      lastLow = low;
      entries++;
      if (!chunk.hasRemaining()) {
        flushBlock();
      }
    }

    private void flushBlock() throws IOException {
      CRC32C crc = new CRC32C();
      crc.update(chunk.array(), 0, chunk.position());
      footer.putInt((int) crc.getValue());
      out.write(chunk.array(), 0, chunk.position());
      chunk.clear();
    }

    Summary finish() throws IOException {
      if (chunk.position() > 0) {
        flushBlock();
      }
      for (long word : bloom) {
        footer.putLong(word);
      }
      footer.putLong(entries);
      footer.putInt(bloom.length);
      footer.putLong(HEADER_BYTES + entries * ENTRY_BYTES);
      CRC32C crc = new CRC32C();
      crc.update(footer.array(), 0, footer.size());
      out.write(footer.array(), 0, footer.size());
      return new Summary(HEADER_BYTES + entries * ENTRY_BYTES + footer.size(), crc.getValue(), entries);
    }
  }
}
