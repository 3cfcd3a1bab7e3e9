package dev.tokenwatch.persistence.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * {@code manifest}: what the current generation consists of. Replaced atomically at each compaction,
 * it is the store's commit point: the files it names (the events file and the id index with their
 * sizes and checksums, and the journal that continues the generation) plus the small state kept
 * whole (windows' totals and claims, the retention cutoff, the next sequence number). Any other file
 * in the directory is left over from an older generation and is deleted by the next compaction.
 *
 * <p>One line: {@code <CRC32C of the JSON, 8 hex digits> <JSON>\n}. A changed byte (a digit edited in
 * an otherwise valid JSON) fails the checksum and the store refuses to open. Format 4 keeps each
 * window's scope and 9 counts (with cost and unpriced calls); format 3, before the cost, is read
 * (6 counts, all of unpriced calls; the scope taken from the key) and replaced at the first
 * compaction, which follows its opening.
 *
 * @param storeId a random id the journal header repeats, so a journal of another store is refused
 * @param generation the generation
 * @param nextSeq the sequence number of the next event the generation's journal records
 * @param retainedFrom the retention cutoff, or null
 * @param events the events file's size, footer checksum and event count
 * @param ids the id index's size, footer checksum and entry count
 * @param windows every window with kept totals or claims
 */
record Manifest(String storeId, long generation, long nextSeq, Instant retainedFrom, EventsFile.Summary events,
    IdIndex.Summary ids, List<Windows.Kept> windows) {

  static final String NAME = "manifest";
  static final int FORMAT = 4;
  /** The format before events carried their cost, still read. */
  static final int FORMAT_WITHOUT_COST = 3;
  static final String KIND = "tokenwatch-ledger";

  private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
  private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

  static String journalName(long generation) {
    return "journal-" + generation + ".log";
  }

  /** The files of this generation the store relies on. */
  List<String> fileNames() {
    return List.of(EventsFile.fileName(generation), IdIndex.fileName(generation), journalName(generation));
  }

  void write(OutputStream out) throws IOException {
    ByteArrayOutputStream json = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = JSON.createGenerator(json)) {
      g.writeStartObject();
      g.writeNumberField("format", FORMAT);
      g.writeStringField("kind", KIND);
      g.writeStringField("storeId", storeId);
      g.writeNumberField("generation", generation);
      g.writeNumberField("nextSeq", nextSeq);
      g.writeStringField("retainedFrom", retainedFrom == null ? null : retainedFrom.toString());
      g.writeObjectFieldStart("events");
      g.writeStringField("file", EventsFile.fileName(generation));
      g.writeNumberField("bytes", events.bytes());
      g.writeNumberField("footerCrc32c", events.footerCrc());
      g.writeNumberField("events", events.events());
      g.writeEndObject();
      g.writeObjectFieldStart("ids");
      g.writeStringField("file", IdIndex.fileName(generation));
      g.writeNumberField("bytes", ids.bytes());
      g.writeNumberField("footerCrc32c", ids.footerCrc());
      g.writeNumberField("entries", ids.entries());
      g.writeEndObject();
      g.writeStringField("journal", journalName(generation));
      g.writeArrayFieldStart("windows");
      for (Windows.Kept w : windows) {
        g.writeStartObject();
        g.writeStringField("key", w.key);
        g.writeStringField("start", w.start.toString());
        g.writeStringField("end", w.end.toString());
        if (w.totals != null) {
          Counts c = w.totals;
          g.writeStringField("scope", w.scope.canonical());
          g.writeArrayFieldStart("totals");
          for (long v : new long[] {c.inputTokens(), c.outputTokens(), c.cacheCreationTokens(), c.cacheReadTokens(),
              c.totalTokens(), c.calls(), c.costNanoUsd(), c.unpricedCalls(), c.unpricedTokens()}) {
            g.writeNumber(v);
          }
          g.writeEndArray();
        }
        g.writeArrayFieldStart("claims");
        for (double t : w.claims) {
          g.writeNumber(t);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    byte[] body = json.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(body);
    out.write(String.format("%08x ", crc.getValue()).getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.write('\n');
  }

  static Manifest of(String storeId, long generation, long nextSeq, Instant retainedFrom, EventsFile.Summary events,
      IdIndex.Summary ids, Collection<Windows.Kept> windows) {
    return new Manifest(storeId, generation, nextSeq, retainedFrom, events, ids, new ArrayList<>(windows));
  }

  /**
   * Reads and checks the manifest.
   *
   * @throws StoreFileException naming it if it is unreadable, fails its checksum or is malformed
   */
  static Manifest read(Path path) {
    byte[] data;
    try {
      data = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new StoreFileException(path, -1, "is missing. " + StoreFiles.RESTORE, e);
    } catch (IOException e) {
      throw new StoreFileException(path, -1, "cannot be read: " + e, e);
    }
    if (data.length < 11 || data[8] != ' ' || data[data.length - 1] != '\n') {
      throw new StoreFileException(path, 0, "is not a tokenwatch manifest (" + data.length + " bytes). "
          + StoreFiles.RESTORE);
    }
    long stored;
    try {
      stored = Long.parseLong(new String(data, 0, 8, StandardCharsets.US_ASCII), 16);
    } catch (NumberFormatException e) {
      throw new StoreFileException(path, 0, "does not start with its checksum. " + StoreFiles.RESTORE, e);
    }
    CRC32C crc = new CRC32C();
    crc.update(data, 9, data.length - 10);
    if (crc.getValue() != stored) {
      throw new StoreFileException(path, 9, String.format("has checksum %08x, but says %08x: its content was"
          + " changed outside tokenwatch. %s", crc.getValue(), stored, StoreFiles.RESTORE));
    }
    try {
      JsonNode n = MAPPER.readTree(data, 9, data.length - 10);
      int format = n.path("format").asInt();
      if ((format != FORMAT && format != FORMAT_WITHOUT_COST) || !KIND.equals(n.path("kind").asText())) {
        throw new FormatProblem("format " + n.path("format") + " of kind " + n.path("kind") + " is not format "
            + FORMAT_WITHOUT_COST + " or " + FORMAT + " of " + KIND);
      }
      long generation = number(n, "generation");
      JsonNode e = n.path("events");
      JsonNode i = n.path("ids");
      if (!EventsFile.fileName(generation).equals(e.path("file").asText())
          || !IdIndex.fileName(generation).equals(i.path("file").asText())
          || !journalName(generation).equals(n.path("journal").asText())) {
        throw new FormatProblem("file names do not match generation " + generation);
      }
      List<Windows.Kept> windows = new ArrayList<>();
      for (JsonNode w : n.path("windows")) {
        Windows.Kept kept = new Windows.Kept(text(w, "key"), Instant.parse(text(w, "start")),
            Instant.parse(text(w, "end")));
        JsonNode t = w.get("totals");
        if (t != null) {
          kept.scope = format == FORMAT ? UsageFilter.fromCanonical(text(w, "scope"))
              : Windows.scopeInKey(kept.key, kept.start, kept.end);
          kept.totals = totals(t, format == FORMAT ? 9 : 6);
        }
        for (JsonNode c : w.path("claims")) {
          kept.claims.add(c.doubleValue());
        }
        windows.add(kept);
      }
      JsonNode retained = n.get("retainedFrom");
      return new Manifest(text(n, "storeId"), generation, number(n, "nextSeq"),
          retained == null || retained.isNull() ? null : Instant.parse(retained.asText()),
          new EventsFile.Summary(number(e, "bytes"), number(e, "footerCrc32c"), number(e, "events")),
          new IdIndex.Summary(number(i, "bytes"), number(i, "footerCrc32c"), number(i, "entries")), windows);
    } catch (FormatProblem | IOException | RuntimeException e) {
      throw new StoreFileException(path, 9, "is malformed although its checksum matches (" + e.getMessage()
          + "). " + StoreFiles.RESTORE, e);
    }
  }

  private static Counts totals(JsonNode t, int size) throws FormatProblem {
    if (!t.isArray() || t.size() != size) {
      throw new FormatProblem("window totals must have " + size + " numbers");
    }
    long[] v = new long[size];
    for (int i = 0; i < size; i++) {
      if (!t.get(i).isIntegralNumber()) {
        throw new FormatProblem("window totals must be integers, got " + t.get(i));
      }
      v[i] = t.get(i).longValue();
    }
    // format 3 counted no cost: its 6 counts are of unpriced calls
    return size == 6 ? new Counts(v[0], v[1], v[2], v[3], v[4], v[5])
        : new Counts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
  }

  private static long number(JsonNode node, String field) throws FormatProblem {
    JsonNode v = node.get(field);
    if (v == null || !v.isIntegralNumber()) {
      throw new FormatProblem("field \"" + field + "\" must be an integer");
    }
    return v.longValue();
  }

  private static String text(JsonNode node, String field) throws FormatProblem {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new FormatProblem("field \"" + field + "\" must be a string");
    }
    return v.textValue();
  }

}
