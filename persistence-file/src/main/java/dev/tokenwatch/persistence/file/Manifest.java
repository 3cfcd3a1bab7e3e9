package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
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
import java.util.Map;
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

  static String journalName(long generation) {
    return "journal-" + generation + ".log";
  }

  /** The files of this generation the store relies on. */
  List<String> fileNames() {
    return List.of(EventsFile.fileName(generation), IdIndex.fileName(generation), journalName(generation));
  }

  void write(OutputStream out) throws IOException {
    StringBuilder j = new StringBuilder(1024 + 256 * windows.size());
    j.append("{\"format\":").append(FORMAT).append(",\"kind\":");
    ManifestJson.quote(j, KIND).append(",\"storeId\":");
    ManifestJson.quote(j, storeId).append(",\"generation\":").append(generation)
        .append(",\"nextSeq\":").append(nextSeq).append(",\"retainedFrom\":");
    ManifestJson.quote(j, retainedFrom == null ? null : retainedFrom.toString()).append(",\"events\":{\"file\":");
    ManifestJson.quote(j, EventsFile.fileName(generation)).append(",\"bytes\":").append(events.bytes())
        .append(",\"footerCrc32c\":").append(events.footerCrc()).append(",\"events\":").append(events.events())
        .append("},\"ids\":{\"file\":");
    ManifestJson.quote(j, IdIndex.fileName(generation)).append(",\"bytes\":").append(ids.bytes())
        .append(",\"footerCrc32c\":").append(ids.footerCrc()).append(",\"entries\":").append(ids.entries())
        .append("},\"journal\":");
    ManifestJson.quote(j, journalName(generation)).append(",\"windows\":[");
    for (int i = 0; i < windows.size(); i++) {
      Windows.Kept w = windows.get(i);
      j.append(i == 0 ? "{\"key\":" : ",{\"key\":");
      ManifestJson.quote(j, w.key).append(",\"start\":");
      ManifestJson.quote(j, w.start.toString()).append(",\"end\":");
      ManifestJson.quote(j, w.end.toString());
      if (w.totals != null) {
        Counts c = w.totals;
        j.append(",\"scope\":");
        ManifestJson.quote(j, w.scope.canonical()).append(",\"totals\":[");
        long[] v = {c.inputTokens(), c.outputTokens(), c.cacheCreationTokens(), c.cacheReadTokens(), c.totalTokens(),
            c.calls(), c.costNanoUsd(), c.unpricedCalls(), c.unpricedTokens()};
        for (int k = 0; k < v.length; k++) {
          j.append(k == 0 ? "" : ",").append(v[k]);
        }
        j.append(']');
      }
      j.append(",\"claims\":[");
      String separator = "";
      for (double threshold : w.claims) {
        ManifestJson.number(j.append(separator), threshold);
        separator = ",";
      }
      j.append("]}");
    }
    j.append("]}");
    byte[] body = j.toString().getBytes(StandardCharsets.UTF_8);
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
      Map<String, Object> n = object(ManifestJson.parse(new String(data, 9, data.length - 10, StandardCharsets.UTF_8)),
          "the manifest");
      Object format = n.get("format");
      Object kind = n.get("kind");
      if (!(format instanceof Long f && (f == FORMAT || f == FORMAT_WITHOUT_COST)) || !KIND.equals(kind)) {
        throw new FormatProblem("format " + format + " of kind " + kind + " is not format " + FORMAT_WITHOUT_COST
            + " or " + FORMAT + " of " + KIND);
      }
      boolean withCost = (Long) format == FORMAT;
      long generation = number(n, "generation");
      Map<String, Object> e = object(n.get("events"), "field \"events\"");
      Map<String, Object> i = object(n.get("ids"), "field \"ids\"");
      if (!EventsFile.fileName(generation).equals(e.get("file")) || !IdIndex.fileName(generation).equals(i.get("file"))
          || !journalName(generation).equals(n.get("journal"))) {
        throw new FormatProblem("file names do not match generation " + generation);
      }
      List<Windows.Kept> windows = new ArrayList<>();
      for (Object item : list(n.getOrDefault("windows", List.of()), "field \"windows\"")) {
        Map<String, Object> w = object(item, "a window");
        Windows.Kept kept = new Windows.Kept(text(w, "key"), Instant.parse(text(w, "start")),
            Instant.parse(text(w, "end")));
        Object t = w.get("totals");
        if (t != null) {
          kept.scope = withCost ? UsageFilter.fromCanonical(text(w, "scope"))
              : Windows.scopeInKey(kept.key, kept.start, kept.end);
          kept.totals = totals(t, withCost ? 9 : 6);
        }
        for (Object c : list(w.getOrDefault("claims", List.of()), "field \"claims\"")) {
          if (!(c instanceof Number threshold)) {
            throw new FormatProblem("claims must be numbers, got " + c);
          }
          kept.claims.add(threshold.doubleValue());
        }
        windows.add(kept);
      }
      Object retained = n.get("retainedFrom");
      if (retained != null && !(retained instanceof String)) {
        throw new FormatProblem("field \"retainedFrom\" must be a string or null");
      }
      return new Manifest(text(n, "storeId"), generation, number(n, "nextSeq"),
          retained == null ? null : Instant.parse((String) retained),
          new EventsFile.Summary(number(e, "bytes"), number(e, "footerCrc32c"), number(e, "events")),
          new IdIndex.Summary(number(i, "bytes"), number(i, "footerCrc32c"), number(i, "entries")), windows);
    } catch (FormatProblem | RuntimeException e) {
      throw new StoreFileException(path, 9, "is malformed although its checksum matches (" + e.getMessage()
          + "). " + StoreFiles.RESTORE, e);
    }
  }

  private static Counts totals(Object t, int size) throws FormatProblem {
    if (!(t instanceof List<?> list) || list.size() != size) {
      throw new FormatProblem("window totals must have " + size + " numbers");
    }
    long[] v = new long[size];
    for (int i = 0; i < size; i++) {
      if (!(list.get(i) instanceof Long value)) {
        throw new FormatProblem("window totals must be integers, got " + list.get(i));
      }
      v[i] = value;
    }
    // format 3 counted no cost: its 6 counts are of unpriced calls
    return size == 6 ? new Counts(v[0], v[1], v[2], v[3], v[4], v[5])
        : new Counts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String what) throws FormatProblem {
    if (!(value instanceof Map)) {
      throw new FormatProblem(what + " must be an object");
    }
    return (Map<String, Object>) value;
  }

  private static List<?> list(Object value, String what) throws FormatProblem {
    if (!(value instanceof List<?> list)) {
      throw new FormatProblem(what + " must be an array");
    }
    return list;
  }

  private static long number(Map<String, Object> node, String field) throws FormatProblem {
    if (!(node.get(field) instanceof Long value)) {
      throw new FormatProblem("field \"" + field + "\" must be an integer");
    }
    return value;
  }

  private static String text(Map<String, Object> node, String field) throws FormatProblem {
    if (!(node.get(field) instanceof String value)) {
      throw new FormatProblem("field \"" + field + "\" must be a string");
    }
    return value;
  }

}
