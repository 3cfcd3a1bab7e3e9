package dev.tokenwatch.persistence.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The journal's line format: {@code <crc32c as 8 hex digits> <space> <JSON object> <newline>},
 * the checksum taken over the JSON bytes. Encodes into a reusable buffer and decodes lines into
 * {@link JournalRecord}s, reporting any problem as a {@link FormatProblem} the caller turns into a
 * message with file and offset.
 */
final class JournalCodec {

  /** Format version written in journal headers and snapshots. */
  static final int FORMAT = 1;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final int PREFIX = 9; // 8 hex digits and a space

  /** Streams are closed by their owners: a generator must not close the file channel it writes to. */
  static final JsonFactory JSON = JsonFactory.builder()
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();
  static final ObjectMapper MAPPER = new ObjectMapper(JSON);

  private JournalCodec() {}

  /** A problem with a line or document's content; the caller adds file and offset. */
  static final class FormatProblem extends Exception {
    private static final long serialVersionUID = 1L;

    FormatProblem(String message) {
      super(message);
    }

    FormatProblem(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A growable byte buffer that exposes its array, so framed lines are written without copying. */
  static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    byte[] array() {
      return buf;
    }
  }

  /** Writes the body of one JSON object. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** Appends one framed line whose JSON object is written by {@code body}. */
  static void appendLine(Buffer out, Body body) {
    int start = out.size();
    out.write(HEX, 0, PREFIX); // placeholder, patched below
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding a journal record", e); // in-memory buffer: cannot happen
    }
    int jsonStart = start + PREFIX;
    CRC32C crc = new CRC32C();
    crc.update(out.array(), jsonStart, out.size() - jsonStart);
    long value = crc.getValue();
    byte[] a = out.array();
    for (int i = 7; i >= 0; i--) {
      a[start + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
    a[start + 8] = ' ';
    out.write('\n');
  }

  static void appendHeader(Buffer out, long generation) {
    appendLine(out, g -> {
      g.writeNumberField("format", FORMAT);
      g.writeStringField("kind", "tokenwatch-journal");
      g.writeNumberField("generation", generation);
    });
  }

  static void appendRecorded(Buffer out, String budget, int historySize, List<ChargedEvent> events) {
    appendLine(out, g -> {
      g.writeStringField("op", "record");
      g.writeStringField("budget", budget);
      g.writeNumberField("historySize", historySize);
      g.writeArrayFieldStart("events");
      for (ChargedEvent e : events) {
        writeEvent(g, e);
      }
      g.writeEndArray();
    });
  }

  static void appendClaimed(Buffer out, String budget, Instant period, double threshold) {
    appendLine(out, g -> {
      g.writeStringField("op", "claim");
      g.writeStringField("budget", budget);
      g.writeStringField("period", InstantText.of(period));
      g.writeNumberField("threshold", threshold);
    });
  }

  static void appendReset(Buffer out, String budget, Instant period) {
    appendLine(out, g -> {
      g.writeStringField("op", "reset");
      g.writeStringField("budget", budget);
      g.writeStringField("period", InstantText.of(period));
    });
  }

  static void appendSealed(Buffer out, long next) {
    appendLine(out, g -> {
      g.writeStringField("op", "seal");
      g.writeNumberField("next", next);
    });
  }

  /** Writes an event with the period it is charged to, as one JSON object. */
  static void writeEvent(JsonGenerator g, ChargedEvent charged) throws IOException {
    TokenUsageEvent e = charged.event();
    g.writeStartObject();
    g.writeStringField("period", InstantText.of(charged.periodStart()));
    g.writeStringField("model", e.model());
    g.writeNumberField("input", e.inputTokens());
    g.writeNumberField("output", e.outputTokens());
    g.writeNumberField("cacheCreation", e.cacheCreationTokens());
    g.writeNumberField("cacheRead", e.cacheReadTokens());
    g.writeNumberField("total", e.totalTokens());
    g.writeStringField("timestamp", InstantText.of(e.timestamp()));
    if (e.requestId() != null) {
      g.writeStringField("requestId", e.requestId());
    }
    g.writeEndObject();
  }

  /** Whether the line {@code [from, to)} is framed and its checksum matches its content. */
  static boolean checksumMatches(byte[] data, int from, int to) {
    if (to - from < PREFIX || data[from + 8] != ' ') {
      return false;
    }
    long expected = 0;
    for (int i = 0; i < 8; i++) {
      int digit = Character.digit(data[from + i], 16);
      if (digit < 0) {
        return false;
      }
      expected = (expected << 4) | digit;
    }
    CRC32C crc = new CRC32C();
    crc.update(data, from + PREFIX, to - from - PREFIX);
    return crc.getValue() == expected;
  }

  /**
   * Checks the frame of the line {@code [from, to)} (without its newline) and parses its JSON.
   *
   * @throws FormatProblem if the checksum does not match or the JSON is malformed
   */
  static JsonNode parseFrame(byte[] data, int from, int to) throws FormatProblem {
    if (to - from < PREFIX + 2 || data[from + 8] != ' ') {
      throw new FormatProblem("not a journal record (expected 8 hex digits, a space and a JSON object)");
    }
    long expected = 0;
    for (int i = 0; i < 8; i++) {
      int digit = Character.digit(data[from + i], 16);
      if (digit < 0) {
        throw new FormatProblem("not a journal record (bad checksum digits)");
      }
      expected = (expected << 4) | digit;
    }
    CRC32C crc = new CRC32C();
    crc.update(data, from + PREFIX, to - from - PREFIX);
    if (crc.getValue() != expected) {
      throw new FormatProblem(String.format("checksum mismatch (stored %08x, computed %08x)", expected,
          crc.getValue()));
    }
    try {
      JsonNode node = MAPPER.readTree(data, from + PREFIX, to - from - PREFIX);
      if (node == null || !node.isObject()) {
        throw new FormatProblem("record is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new FormatProblem("malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new FormatProblem("unreadable JSON: " + e.getMessage(), e);
    }
  }

  /** Decodes a header line. */
  static JournalRecord.Header decodeHeader(JsonNode node) throws FormatProblem {
    int format = (int) requireLong(node, "format");
    if (format > FORMAT) {
      throw new FormatProblem("journal has format version " + format + ", but this tokenwatch reads versions up to "
          + FORMAT + "; upgrade tokenwatch to use this directory");
    }
    if (format < 1 || !"tokenwatch-journal".equals(node.path("kind").asText(null))) {
      throw new FormatProblem("not a tokenwatch journal header: " + abbreviate(node.toString()));
    }
    return new JournalRecord.Header(format, requireLong(node, "generation"));
  }

  /** Decodes a record line (anything after the header). */
  static JournalRecord decodeRecord(JsonNode node) throws FormatProblem {
    String op = requireText(node, "op");
    switch (op) {
      case "record": {
        JsonNode events = node.get("events");
        if (events == null || !events.isArray()) {
          throw new FormatProblem("field \"events\" must be an array");
        }
        List<ChargedEvent> list = new ArrayList<>(events.size());
        for (JsonNode e : events) {
          list.add(readEvent(e));
        }
        return new JournalRecord.Recorded(requireText(node, "budget"), (int) requireLong(node, "historySize"), list);
      }
      case "claim":
        JsonNode threshold = node.get("threshold");
        if (threshold == null || !threshold.isNumber()) {
          throw new FormatProblem("field \"threshold\" must be a number, got " + threshold);
        }
        return new JournalRecord.Claimed(requireText(node, "budget"), requireInstant(node, "period"),
            threshold.doubleValue());
      case "reset":
        return new JournalRecord.Reset(requireText(node, "budget"), requireInstant(node, "period"));
      case "seal":
        return new JournalRecord.Sealed(requireLong(node, "next"));
      default:
        throw new FormatProblem("unknown operation \"" + abbreviate(op) + '"');
    }
  }

  /** Reads an event written by {@link #writeEvent}. */
  static ChargedEvent readEvent(JsonNode node) throws FormatProblem {
    if (node == null || !node.isObject()) {
      throw new FormatProblem("event must be a JSON object, got " + abbreviate(String.valueOf(node)));
    }
    try {
      TokenUsageEvent event = new TokenUsageEvent(requireText(node, "model"), requireLong(node, "input"),
          requireLong(node, "output"), requireLong(node, "cacheCreation"), requireLong(node, "cacheRead"),
          requireLong(node, "total"), requireInstant(node, "timestamp"), optionalText(node, "requestId"));
      return new ChargedEvent(event, requireInstant(node, "period"));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new FormatProblem("invalid event: " + e.getMessage(), e);
    }
  }

  static String requireText(JsonNode node, String field) throws FormatProblem {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new FormatProblem("field \"" + field + "\" must be a string, got "
          + (value == null ? "nothing" : abbreviate(value.toString())));
    }
    return value.textValue();
  }

  static String optionalText(JsonNode node, String field) throws FormatProblem {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : requireText(node, field);
  }

  static long requireLong(JsonNode node, String field) throws FormatProblem {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
      throw new FormatProblem("field \"" + field + "\" must be an integer, got "
          + (value == null ? "nothing" : abbreviate(value.toString())));
    }
    return value.longValue();
  }

  static Instant requireInstant(JsonNode node, String field) throws FormatProblem {
    String text = requireText(node, field);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new FormatProblem("field \"" + field + "\" must be an ISO-8601 instant, got \"" + abbreviate(text) + '"', e);
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
