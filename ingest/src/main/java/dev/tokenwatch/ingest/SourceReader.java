package dev.tokenwatch.ingest;

import dev.tokenwatch.domain.port.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Reads sources as bytes with a large buffer, splits them into lines itself (tracking line numbers
 * and byte offsets) and parses each line, handing chunks of events to the applying thread through a
 * {@link ChunkSink}. Lines that no format read could claim ({@link LinePrefilter}) are counted
 * without being parsed. One instance per reader thread: the buffer is reused from source to source.
 */
final class SourceReader {

  /** Bytes fingerprinted at the start of a file to notice a replaced file with the same identity. */
  static final int HEAD_BYTES = 1024;
  /** A chunk is handed over at least this often, so progress and offsets advance on event-less input. */
  private static final long CHUNK_BYTES = 4L << 20;

  private final LineParser parser;
  private final LinePrefilter prefilter;
  private final Clock clock;
  private final int batchSize;
  private final boolean strict;
  private final int maxLineBytes;
  /** The buffer of every source read; a longer line grows a copy that is dropped after its source. */
  private final byte[] buffer;
  /** Where the source being read hands its chunks. */
  private ChunkSink sink;

  SourceReader(LineParser parser, LinePrefilter prefilter, Clock clock, int batchSize, boolean strict,
      int bufferSize, int maxLineBytes) {
    this.parser = parser;
    this.prefilter = prefilter;
    this.clock = clock;
    this.batchSize = batchSize;
    this.strict = strict;
    this.maxLineBytes = maxLineBytes;
    this.buffer = new byte[bufferSize];
  }

  /** Reads a file from its resume offset to its current end. */
  void readFile(Source source, ChunkSink to) throws InterruptedException {
    this.sink = to;
    try (FileChannel channel = FileChannel.open(source.path, StandardOpenOption.READ)) {
      long from = source.resumeOffset;
      long line = source.resumeLine;
      ByteBuffer head = ByteBuffer.allocate(HEAD_BYTES);
      while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
        // positional reads until the head is full or the file ends
      }
      byte[] headBytes = head.array();
      int headLength = head.position();
      OffsetStore.FileMark previous = source.previous;
      if (from > 0 && previous != null
          && (headLength < previous.headLength()
              || Hashes.fnv64(headBytes, 0, previous.headLength()) != previous.headHash())) {
        from = 0; // same identity and not shorter, but the start differs: the file was rewritten
        line = 0;
      }
      source.headLength = headLength;
      source.headHash = Hashes.fnv64(headBytes, 0, headLength);
      channel.position(from);
      SourceContext context = from > 0 ? SourceContext.resumed(source.path, previous.context())
          : SourceContext.of(source.path);
      read(source, new ChannelInput(channel), from, line, false, context);
    } catch (NoSuchFileException vanished) {
      // deleted between listing and reading: nothing to ingest, and nothing to remember
      Chunk chunk = new Chunk(source, 0);
      chunk.endOffset = source.resumeOffset;
      chunk.endLine = source.resumeLine;
      chunk.last = true;
      chunk.context = source.previous != null ? source.previous.context() : java.util.Map.of();
      sink.put(chunk);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source.name + ": " + e.getMessage(), e);
    }
  }

  /** Reads standard input (or any stream) to its end; chunks are handed over after every read. */
  void readStream(Source source, InputStream in, ChunkSink to) throws InterruptedException {
    this.sink = to;
    try {
      read(source, new StreamInput(in), 0, 0, true, SourceContext.of(null));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
    }
  }

  private void read(Source source, Input in, long startOffset, long startLine, boolean stream,
      SourceContext context) throws IOException, InterruptedException {
    byte[] buf = buffer;
    int start = 0;
    int limit = 0;
    int scanFrom = 0;
    long bufOffset = startOffset; // file offset of buf[0]
    long line = startLine;
    boolean discarding = false; // inside a line longer than maxLineBytes
    Chunk chunk = newChunk(source, startOffset, startLine);
    Instant now = clock.now();
    while (true) {
      if (sink.cancelled()) {
        return;
      }
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, limit - start);
        bufOffset += start;
        limit -= start;
        scanFrom -= start;
        start = 0;
      }
      if (limit == buf.length) {
        if (buf.length < maxLineBytes) {
          buf = java.util.Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxLineBytes));
        } else {
          if (!discarding) {
            discarding = true;
            malformed(chunk, source, line + 1, "line is longer than " + maxLineBytes + " bytes");
            if (strict) {
              finishStrict(chunk, context);
              return;
            }
          }
          bufOffset += limit;
          limit = 0;
          scanFrom = 0;
        }
      }
      int n = in.read(buf, limit, buf.length - limit);
      if (n > 0) {
        limit += n;
        now = clock.now();
      }
      while (true) {
        int nl = indexOfNewline(buf, scanFrom, limit);
        if (nl < 0) {
          scanFrom = limit;
          break;
        }
        line++;
        if (discarding) {
          discarding = false;
        } else {
          int end = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
          if (!handleLine(chunk, source, buf, start, end - start, line, now, stream, context, true)) {
            if (chunk.futureStop != null) {
              chunk.futureLines = 1 + countRemainingLines(in, buf, nl + 1, limit);
              handOver(chunk, context);
            }
            return;
          }
        }
        chunk.lines++;
        chunk.bytes += bufOffset + nl + 1 - chunk.endOffset;
        chunk.endOffset = bufOffset + nl + 1;
        chunk.endLine = line;
        start = nl + 1;
        scanFrom = start;
        if (chunk.events.size() >= batchSize || chunk.bytes >= CHUNK_BYTES) {
          handOver(chunk, context);
          chunk = newChunk(source, chunk.endOffset, chunk.endLine);
        }
      }
      if (n < 0) {
        if (start < limit && !discarding) {
          // the last line has no line break: a stream's last line is complete; a file's counts only
          // once it is complete JSON (otherwise it may still be being written: left for the next run)
          LineParser.Kind kind = parser.parse(buf, start, limit - start, context, now);
          if (stream || !(kind == LineParser.Kind.MALFORMED && parser.truncated())) {
            line++;
            if (!handleLine(chunk, source, buf, start, limit - start, line, now, stream, context, stream)) {
              if (chunk.futureStop != null) {
                chunk.futureLines = 1;
                handOver(chunk, context);
              }
              return;
            }
            chunk.lines++;
            chunk.bytes += bufOffset + limit - chunk.endOffset;
            chunk.endOffset = bufOffset + limit;
            chunk.endLine = line;
          }
        }
        chunk.last = true;
        handOver(chunk, context);
        return;
      }
      if (stream && !chunk.isEmpty()) {
        handOver(chunk, context); // keep follow-mode latency low: hand over what arrived
        chunk = newChunk(source, chunk.endOffset, chunk.endLine);
      }
    }
  }

  /**
   * Parses one line into the chunk; false if the source stops before this line: strict mode at a
   * malformed line (handed over here), or a line stamped in the future ({@link Chunk#futureStop},
   * handed over by the caller once it counted the lines after it).
   *
   * @param complete whether the line is known to be whole (a file's last line without a line break
   *     may still be being written: it is always parsed, so that a half-written record waits)
   */
  private boolean handleLine(Chunk chunk, Source source, byte[] buf, int off, int len, long line, Instant now,
      boolean stream, SourceContext context, boolean complete) throws InterruptedException {
    if (complete && !prefilter.mayBeRecord(buf, off, len)) {
      chunk.nonUsage++;
      return true;
    }
    switch (parser.parse(buf, off, len, context, now)) {
      case EVENT -> {
        chunk.events.add(parser.event());
        if (parser.chargedAtIngestTime()) {
          chunk.chargedAtIngestTime++;
        }
      }
      case SKIPPED -> chunk.nonUsage++;
      case MALFORMED -> {
        malformed(chunk, source, line, parser.reason());
        if (strict) {
          finishStrict(chunk, context);
          return false;
        }
      }
      case FUTURE -> {
        if (stream) {
          // standard input cannot be read again: say so, rather than pretend it is kept
          malformed(chunk, source, line, parser.reason() + "; standard input is not read again, so this "
              + "record is not counted: save the input to a file and ingest that once the clock has passed it");
          if (strict) {
            finishStrict(chunk, context);
            return false;
          }
        } else {
          // the offsets stop before this line: a later run reads it again and counts it then
          chunk.futureStop = new MalformedLine(source.name, line, parser.reason());
          chunk.last = true;
          return false;
        }
      }
    }
    return true;
  }

  /** Complete lines in the rest of the buffer and of the input, counted without being parsed. */
  private static long countRemainingLines(Input in, byte[] buf, int from, int limit) throws IOException {
    long lines = 0;
    for (int i = from; i < limit; i++) {
      if (buf[i] == '\n') {
        lines++;
      }
    }
    int n;
    while ((n = in.read(buf, 0, buf.length)) >= 0) {
      for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          lines++;
        }
      }
    }
    return lines;
  }

  /** Hands the chunk to the applying thread with the source's context after its last line. */
  private void handOver(Chunk chunk, SourceContext context) throws InterruptedException {
    chunk.context = context.saved();
    sink.put(chunk);
  }

  private void malformed(Chunk chunk, Source source, long line, String reason) {
    MalformedLine bad = new MalformedLine(source.name, line, reason);
    chunk.malformed++;
    if (strict) {
      chunk.strictStop = bad;
    } else if (chunk.malformedSamples.size() < IngestSummary.MAX_REPORTED_MALFORMED) {
      chunk.malformedSamples.add(bad);
    }
  }

  /** Hands over the lines before the malformed one and stops this source. */
  private void finishStrict(Chunk chunk, SourceContext context) throws InterruptedException {
    chunk.malformed = 0; // the stopping line is reported through the exception, not counted as passed
    chunk.last = true;
    handOver(chunk, context);
  }

  private static Chunk newChunk(Source source, long offset, long line) {
    Chunk chunk = new Chunk(source, 64);
    chunk.endOffset = offset;
    chunk.endLine = line;
    return chunk;
  }

  private static int indexOfNewline(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** A byte source: a file channel or a stream. */
  private interface Input {
    /** Reads up to {@code len} bytes; -1 at the end. */
    int read(byte[] buf, int off, int len) throws IOException;
  }

  private static final class ChannelInput implements Input {
    private final FileChannel channel;

    ChannelInput(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      return channel.read(ByteBuffer.wrap(buf, off, len));
    }
  }

  private static final class StreamInput implements Input {
    private final InputStream in;

    StreamInput(InputStream in) {
      this.in = in;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      return in.read(buf, off, len);
    }
  }
}
