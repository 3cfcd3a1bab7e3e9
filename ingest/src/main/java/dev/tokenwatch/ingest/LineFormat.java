package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * One log format: which top-level fields of a line it reads, whether a line is one of its records,
 * and what the record means. {@link LineParser} reads each line once and hands every top-level
 * field to the formats that named it; {@link FormatSet} decides which format a line is in.
 */
interface LineFormat {

  /** The top-level field names this format reads; every other field is skipped unread. */
  List<String> fields();

  /** Forgets the previous line. */
  void reset();

  /**
   * Reads the top-level field {@code name}, whose first token {@code value} is current. A scalar is
   * only looked at (other formats may read it too); an object or array is either read to its end,
   * returning true, or left untouched, returning false.
   */
  boolean field(String name, JsonToken value, JsonParser p) throws IOException;

  /** Whether the line just read is a record of this format; asked only with {@code --format auto}. */
  boolean claims();

  /**
   * What the line just read means: an event (in {@code result}), a line without usage, a
   * malformed line, or one stamped in the future.
   *
   * @param context what earlier lines of the source said; a format may update it
   * @param now the time of ingest: charged to records without a timestamp and the reference for
   *     those stamped in the future
   */
  LineParser.Kind interpret(SourceContext context, LineResult result, Instant now);
}
