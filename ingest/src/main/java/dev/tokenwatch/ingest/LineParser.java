package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.io.IOException;
import java.time.Instant;

/**
 * Turns one log line into a usage event with Jackson's streaming parser, in one pass: each
 * top-level field goes to the formats that read it ({@link FormatSet}), everything else (message
 * content, tool results) is skipped token by token without building strings or trees; then the
 * line's format interprets what it read. One instance per thread: it reuses its scratch state.
 */
final class LineParser {

  /** What {@link #parse} found. */
  enum Kind {
    EVENT,
    SKIPPED,
    MALFORMED,
    /** A valid record stamped too far ahead of the clock to be counted now; a later run may. */
    FUTURE
  }

  private final JsonFactory factory;
  private final FormatSet formats;
  private final LineResult result;

  LineParser(JsonFactory factory, LogFormat format) {
    this(factory, format, IngestDimensions.NONE);
  }

  /** @param defaults the dimensions of records that carry none of their own */
  LineParser(JsonFactory factory, LogFormat format, IngestDimensions defaults) {
    this.factory = factory;
    this.formats = new FormatSet(format);
    this.result = new LineResult(defaults);
  }

  TokenUsageEvent event() {
    return result.event;
  }

  /** Why the last line is malformed or must wait. */
  String reason() {
    return result.reason;
  }

  boolean chargedAtIngestTime() {
    return result.chargedAtIngestTime;
  }

  /** Whether the last malformed line ended inside a JSON value (it may still be being written). */
  boolean truncated() {
    return result.truncated;
  }

  /**
   * Parses {@code len} bytes at {@code off} (one line without its line break).
   *
   * @param context what the earlier lines of the source said (updated by lines that say more)
   * @param now the time of ingest: charged to records without a timestamp, and the reference for
   *     records stamped in the future
   */
  Kind parse(byte[] buf, int off, int len, SourceContext context, Instant now) {
    result.reset();
    if (isBlank(buf, off, len)) {
      return Kind.SKIPPED;
    }
    formats.reset();
    try (JsonParser p = factory.createParser(buf, off, len)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        return result.malformed("expected a JSON object, got " + JsonValues.describe(first, p));
      }
      readTop(p);
      JsonToken after = p.nextToken();
      if (after != null) {
        return result.malformed("unexpected " + JsonValues.describe(after, p) + " after the JSON object");
      }
    } catch (JsonEOFException e) {
      result.truncated = true;
      return result.malformed("invalid JSON: incomplete, the line ends before the object is closed");
    } catch (InputCoercionException e) {
      return result.malformed("number out of range: " + e.getOriginalMessage());
    } catch (StreamReadException e) {
      return result.malformed(
          "invalid JSON at column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      // parsing a byte array does no I/O; anything else is a parse failure of this line
      return result.malformed("invalid JSON: " + e.getMessage());
    }
    LineFormat format = formats.detect();
    return format == null ? Kind.SKIPPED : format.interpret(context, result, now);
  }

  private void readTop(JsonParser p) throws IOException {
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken value = p.nextToken();
      LineFormat[] readers = formats.readers(name);
      boolean consumed = false;
      if (readers != null) {
        for (int i = 0; i < readers.length && !consumed; i++) {
          consumed = readers[i].field(name, value, p);
        }
      }
      if (!consumed) {
        p.skipChildren();
      }
    }
  }

  private static boolean isBlank(byte[] buf, int off, int len) {
    for (int i = off, end = off + len; i < end; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
