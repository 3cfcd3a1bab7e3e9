package dev.tokenwatch.persistence.file;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

import java.util.zip.CRC32C;

/**
 * The events of one generation, {@code events-G.dat}, in the order they were recorded, read by
 * positional reads of one block at a time, so no query holds more than a block of them.
 *
 * <pre>
 * header  "twevents", version (int), 0 (int), generation (long)                         24 bytes
 *         (version 2 events carry their cost; version 1, before the cost, is read as unknown cost)
 * blocks  events as {@link StoredEvent} writes them, about 16 KiB a block
 * footer  per block: offset (long), length (int), count (int), first and last seq (long),
 *         earliest and latest epoch second (long), CRC32C of the block (int)             52 bytes each
 * trailer block count (int), footer offset (long)                                       12 bytes
 * </pre>
 *
 * Big-endian. The manifest records the file's size and the CRC32C of footer and trailer, which are
 * checked when the file is opened; each block is checked against its CRC whenever it is read. Blocks
 * whose time span misses a query's range are not read at all.
 */
final class EventsFile implements Closeable {

  static final int VERSION = 2;
  /** The layout before events carried their cost. */
  static final int VERSION_WITHOUT_COST = 1;
  static final int HEADER_BYTES = 24;
  static final int BLOCK_TARGET = 16 * 1024;
  private static final int ENTRY_BYTES = 52;
  private static final int TRAILER_BYTES = 12;
  private static final byte[] MAGIC = "twevents".getBytes(StandardCharsets.US_ASCII);

  private final Path path;
  private final FileChannel channel;
  private final long[] offsets;
  private final int[] lengths;
  private final int[] counts;
  private final long[] firstSeqs;
  private final long[] lastSeqs;
  private final long[] minSeconds;
  private final long[] maxSeconds;
  private final int[] crcs;
  private final long events;
  private final int version;
  private byte[] block = new byte[BLOCK_TARGET * 2];
  private final BinaryIn in = new BinaryIn();

  /** What the manifest records of a written file. */
  record Summary(long bytes, long footerCrc, long events) {}

  static String fileName(long generation) {
    return "events-" + generation + ".dat";
  }

  private EventsFile(Path path, FileChannel channel, int blocks, int version) {
    this.path = path;
    this.version = version;
    this.channel = channel;
    offsets = new long[blocks];
    lengths = new int[blocks];
    counts = new int[blocks];
    firstSeqs = new long[blocks];
    lastSeqs = new long[blocks];
    minSeconds = new long[blocks];
    maxSeconds = new long[blocks];
    crcs = new int[blocks];
    events = 0;
  }

  private EventsFile(EventsFile parsed, long events) {
    this.path = parsed.path;
    this.channel = parsed.channel;
    this.offsets = parsed.offsets;
    this.lengths = parsed.lengths;
    this.counts = parsed.counts;
    this.firstSeqs = parsed.firstSeqs;
    this.lastSeqs = parsed.lastSeqs;
    this.minSeconds = parsed.minSeconds;
    this.maxSeconds = parsed.maxSeconds;
    this.crcs = parsed.crcs;
    this.version = parsed.version;
    this.events = events;
  }

  Path path() {
    return path;
  }

  long events() {
    return events;
  }

  /** The file's layout version: older files are rewritten in the current layout by the next compaction. */
  int version() {
    return version;
  }

  /**
   * Opens the file and checks it against what the manifest says of it.
   *
   * @throws StoreFileException naming the file if it is missing, of another size, or damaged
   */
  static EventsFile open(Path path, long generation, Summary expected) {
    FileChannel channel = StoreFiles.openForReading(path, "the manifest names it as generation " + generation
        + "'s events");
    try {
      long size = StoreFiles.sizeAsInManifest(channel, path, expected.bytes());
      ByteBuffer trailer = StoreFiles.read(channel, path, size - TRAILER_BYTES, TRAILER_BYTES);
      int blocks = trailer.getInt();
      long footerAt = trailer.getLong();
      if (blocks < 0 || footerAt < HEADER_BYTES || footerAt + (long) blocks * ENTRY_BYTES + TRAILER_BYTES != size) {
        throw new StoreFileException(path, size - TRAILER_BYTES, "has a trailer that does not fit the file ("
            + blocks + " blocks, footer at " + footerAt + "). " + StoreFiles.RESTORE);
      }
      ByteBuffer footer = StoreFiles.read(channel, path, footerAt, (int) (size - footerAt));
      CRC32C crc = new CRC32C();
      crc.update(footer.duplicate());
      if (crc.getValue() != expected.footerCrc()) {
        throw new StoreFileException(path, footerAt, String.format("its block index has checksum %08x, but the"
            + " manifest says %08x; it was changed outside tokenwatch. %s", crc.getValue(), expected.footerCrc(),
            StoreFiles.RESTORE));
      }
      ByteBuffer header = StoreFiles.read(channel, path, 0, HEADER_BYTES);
      int version = StoreFiles.checkHeader(path, header, MAGIC, VERSION_WITHOUT_COST, VERSION, generation);
      EventsFile file = new EventsFile(path, channel, blocks, version);
      long total = 0;
      for (int b = 0; b < blocks; b++) {
        file.offsets[b] = footer.getLong();
        file.lengths[b] = footer.getInt();
        file.counts[b] = footer.getInt();
        file.firstSeqs[b] = footer.getLong();
        file.lastSeqs[b] = footer.getLong();
        file.minSeconds[b] = footer.getLong();
        file.maxSeconds[b] = footer.getLong();
        file.crcs[b] = footer.getInt();
        total += file.counts[b];
      }
      if (total != expected.events()) {
        throw new StoreFileException(path, footerAt, "holds " + total + " events, but the manifest says "
            + expected.events() + ". " + StoreFiles.RESTORE);
      }
      return new EventsFile(file, total);
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

  /** Receives events of a scan; {@code event} is reused, {@code raw} its encoded bytes. */
  @FunctionalInterface
  interface Visitor {
    void visit(StoredEvent event, byte[] raw, int from, int to) throws FormatProblem;
  }

  /** Which blocks a scan reads, judged by their time span (epoch seconds, inclusive). */
  @FunctionalInterface
  interface BlockFilter {
    boolean wanted(long minSecond, long maxSecond);
  }

  /**
   * Passes every event of the blocks whose time span meets {@code [from, until)} (null: open) to
   * {@code visitor}, in recording order; the visitor applies the exact bounds.
   */
  void scan(Instant from, Instant until, Visitor visitor) {
    scan((min, max) -> (from == null || max >= from.getEpochSecond()) && (until == null || min <= until.getEpochSecond()),
        false, visitor);
  }

  /**
   * Passes every event of the blocks {@code filter} wants to {@code visitor}, block by block in
   * recording order or (with {@code newestFirst}) from the last block back; the filter is asked just
   * before each block, so it may narrow as the scan learns.
   */
  void scan(BlockFilter filter, boolean newestFirst, Visitor visitor) {
    StoredEvent event = new StoredEvent();
    for (int i = 0; i < offsets.length; i++) {
      int b = newestFirst ? offsets.length - 1 - i : i;
      if (!filter.wanted(minSeconds[b], maxSeconds[b])) {
        continue;
      }
      visitBlock(b, event, visitor);
    }
  }

  private void visitBlock(int b, StoredEvent event, Visitor visitor) {
    byte[] data = readBlock(b);
    in.reset(data, 0, lengths[b]);
    try {
      while (in.hasMore()) {
        int start = in.position();
        event.read(in, version > VERSION_WITHOUT_COST);
        visitor.visit(event, data, start, in.position());
      }
    } catch (FormatProblem e) {
      throw new StoreFileException(path, offsets[b] + in.position(), "unreadable event (" + e.getMessage()
          + ") in a block whose checksum matched. " + StoreFiles.RESTORE, e);
    }
  }

  /** Decides which blocks a copy takes whole, by their sequence range and time span. */
  @FunctionalInterface
  interface WholeBlocks {
    boolean copyWhole(long firstSeq, long lastSeq, long minSecond, long maxSecond);
  }

  /**
   * Copies every event into {@code writer}, in order: the blocks {@code whole} accepts as they are
   * (checked against their CRC, not decoded), the others event by event through {@code visitor},
   * which decides what to keep. A file of an older layout is never copied whole: its {@code raw}
   * bytes are in that layout, so the visitor must re-encode them.
   */
  void copyInto(Writer writer, WholeBlocks whole, Visitor visitor) throws IOException {
    StoredEvent event = new StoredEvent();
    for (int b = 0; b < offsets.length; b++) {
      if (version == VERSION && whole.copyWhole(firstSeqs[b], lastSeqs[b], minSeconds[b], maxSeconds[b])) {
        writer.addBlock(readBlock(b), lengths[b], counts[b], firstSeqs[b], lastSeqs[b], minSeconds[b], maxSeconds[b],
            crcs[b]);
      } else {
        visitBlock(b, event, visitor);
      }
    }
  }

  /** The event with sequence number {@code seq}, or null if the file has none. */
  StoredEvent find(long seq) {
    int lo = 0;
    int hi = offsets.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (lastSeqs[mid] < seq) {
        lo = mid + 1;
      } else if (firstSeqs[mid] > seq) {
        hi = mid - 1;
      } else {
        byte[] data = readBlock(mid);
        in.reset(data, 0, lengths[mid]);
        StoredEvent event = new StoredEvent();
        try {
          while (in.hasMore()) {
            if (event.read(in, version > VERSION_WITHOUT_COST).seq == seq) {
              return event;
            }
          }
        } catch (FormatProblem e) {
          throw new StoreFileException(path, offsets[mid] + in.position(), "unreadable event (" + e.getMessage()
              + "). " + StoreFiles.RESTORE, e);
        }
        return null;
      }
    }
    return null;
  }

  private byte[] readBlock(int b) {
    if (block.length < lengths[b]) {
      block = new byte[lengths[b]];
    }
    ByteBuffer target = ByteBuffer.wrap(block, 0, lengths[b]);
    StoreFiles.readFully(channel, path, target, offsets[b]);
    CRC32C crc = new CRC32C();
    crc.update(block, 0, lengths[b]);
    if ((int) crc.getValue() != crcs[b]) {
      throw new StoreFileException(path, offsets[b], String.format("block %d of %d bytes has checksum %08x, but"
          + " its index says %08x; the file was changed outside tokenwatch. %s", b, lengths[b], crc.getValue(),
          crcs[b], StoreFiles.RESTORE));
    }
    return block;
  }

  /** Writes a generation's file: events in ascending sequence order, then the footer. */
  static final class Writer {
    private final OutputStream out;
    private final BinaryOut current = new BinaryOut(BLOCK_TARGET * 2);
    private final BinaryOut footer = new BinaryOut(4096);
    private final BinaryOut scratch = new BinaryOut(512);
    private long position;
    private int blocks;
    private int count;
    private long firstSeq;
    private long lastSeq = Long.MIN_VALUE;
    private long minSecond;
    private long maxSecond;
    private long events;

    Writer(OutputStream out, long generation) throws IOException {
      this.out = out;
      BinaryOut header = new BinaryOut(HEADER_BYTES);
      header.putBytes(MAGIC, 0, MAGIC.length);
      header.putInt(VERSION);
      header.putInt(0);
      header.putLong(generation);
      out.write(header.array(), 0, header.size());
      position = HEADER_BYTES;
    }

    /** Adds an event encoded as {@link StoredEvent#write} does. */
    void add(byte[] raw, int from, int to, long seq, long second) throws IOException {
      if (seq <= lastSeq) {
        throw new IllegalStateException("events out of sequence: " + seq + " after " + lastSeq);
      }
      if (count > 0 && current.size() + (to - from) > BLOCK_TARGET) {
        flushBlock();
      }
      if (count == 0) {
        firstSeq = seq;
        minSecond = second;
        maxSecond = second;
      }
      current.putBytes(raw, from, to - from);
      lastSeq = seq;
      minSecond = Math.min(minSecond, second);
      maxSecond = Math.max(maxSecond, second);
      count++;
      events++;
    }

    void add(long seq, dev.tokenwatch.domain.TokenUsageEvent event) throws IOException {
      scratch.reset();
      StoredEvent.write(scratch, seq, event);
      add(scratch.array(), 0, scratch.size(), seq, event.timestamp().getEpochSecond());
    }

    /** Adds a whole block of another file (its events follow every event added so far). */
    void addBlock(byte[] data, int length, int blockCount, long first, long last, long min, long max, int crc)
        throws IOException {
      if (first <= lastSeq) {
        throw new IllegalStateException("events out of sequence: " + first + " after " + lastSeq);
      }
      if (count > 0) {
        flushBlock();
      }
      footer.putLong(position);
      footer.putInt(length);
      footer.putInt(blockCount);
      footer.putLong(first);
      footer.putLong(last);
      footer.putLong(min);
      footer.putLong(max);
      footer.putInt(crc);
      out.write(data, 0, length);
      position += length;
      blocks++;
      lastSeq = last;
      events += blockCount;
    }

    private void flushBlock() throws IOException {
      CRC32C crc = new CRC32C();
      crc.update(current.array(), 0, current.size());
      footer.putLong(position);
      footer.putInt(current.size());
      footer.putInt(count);
      footer.putLong(firstSeq);
      footer.putLong(lastSeq);
      footer.putLong(minSecond);
      footer.putLong(maxSecond);
      footer.putInt((int) crc.getValue());
      out.write(current.array(), 0, current.size());
      position += current.size();
      blocks++;
      current.reset();
      count = 0;
    }

    /** Writes the last block and the footer; returns what the manifest records. */
    Summary finish() throws IOException {
      if (count > 0) {
        flushBlock();
      }
      footer.putInt(blocks);
      footer.putLong(position);
      CRC32C crc = new CRC32C();
      crc.update(footer.array(), 0, footer.size());
      out.write(footer.array(), 0, footer.size());
      return new Summary(position + footer.size(), crc.getValue(), events);
    }
  }

  @Override
  public String toString() {
    return path + " (" + events + " events in " + offsets.length + " blocks)";
  }

}
