package dev.tokenwatch.persistence.file;

import static dev.tokenwatch.persistence.file.JournalCodec.FORMAT;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.persistence.file.JournalCodec.FormatProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshot document: the whole state as of the start of journal {@code generation}, except the
 * de-duplication entries, which go to the generation's {@link DedupFile} (written first, named here).
 *
 * <pre>
 * {"format":2, "kind":"tokenwatch-snapshot", "generation":G,
 *  "dedup":{"file":"dedup-G.bin", "bytes":size of that file},
 *  "budgets":[
 *   {"name":..., "historyCapacity":N,
 *    "periods":[{"start":ISO, "claims":[0.5,...], "models":[{"model":..,"input":..,...,"calls":..}]}],
 *    "models":[model names that the budget's de-duplication records index],
 *    "counted":{"offset":byte offset of the budget's section in the dedup file, "entries":n,
 *               "bloomWords":w, "crc32c":checksum of the section},
 *    "history":[event, ...]}]}
 * </pre>
 *
 * "format" comes first, so a newer document is refused before anything else in it is interpreted.
 * Format 1 (tokenwatch before the de-duplication file) held the entries inline, as
 * {@code "counted":[[requestKey, periodIndex, modelIndex, input, output, cacheCreation, cacheRead,
 * total], ...]}; it is still read (into memory, as entries not yet in any file), and the store
 * rewrites it as format 2 right after opening it.
 */
final class SnapshotCodec {

  /** The snapshot format written; journals keep {@link JournalCodec#FORMAT}. */
  static final int FORMAT = 2;

  private SnapshotCodec() {}

  /** Model list and section of one budget in a generation's de-duplication file. */
  record Layout(List<String> models, DedupFile.SectionInfo section) {}

  /**
   * Writes generation {@code generation}'s de-duplication file: per budget, the entries of its
   * current file merged with those recorded since (which win), minus those reset since, in key order.
   * Streams the old file; only the recent entries' keys are sorted in memory.
   *
   * @return each budget's layout, for {@link #write}
   */
  static Map<String, Layout> writeDedup(OutputStream out, long generation, List<BudgetState> budgets)
      throws IOException {
    DedupFile.Writer writer = new DedupFile.Writer(out, generation);
    Map<String, Layout> layouts = new HashMap<>();
    for (BudgetState b : budgets) {
      Map<Instant, Integer> periodIndex = new HashMap<>();
      for (Instant start : b.periods.keySet()) {
        periodIndex.put(start, periodIndex.size());
      }
      Map<String, Integer> modelIndex = new LinkedHashMap<>();
      if (b.stored != null) {
        for (String m : b.stored.models) {
          modelIndex.putIfAbsent(m, modelIndex.size());
        }
      }
      long[] keys = new long[b.recent.size()];
      int n = 0;
      for (Map.Entry<Long, BudgetState.Counted> e : b.recent.entrySet()) {
        keys[n++] = e.getKey();
        if (e.getValue() != BudgetState.Counted.REMOVED) {
          modelIndex.putIfAbsent(e.getValue().model(), modelIndex.size());
        }
      }
      Arrays.sort(keys);
      writer.begin((b.stored == null ? 0 : b.stored.info.entries()) + keys.length);
      DedupFile.Cursor cursor = b.stored == null ? null : b.stored.cursor();
      boolean inFile = cursor != null && cursor.advance();
      int i = 0;
      while (inFile || i < keys.length) {
        long key;
        BudgetState.Counted c;
        if (!inFile || (i < keys.length && keys[i] <= cursor.key())) {
          key = keys[i++];
          c = b.recent.get(key);
          if (inFile && key == cursor.key()) {
            inFile = cursor.advance(); // replaced or removed since the snapshot
          }
          if (c == BudgetState.Counted.REMOVED) {
            continue;
          }
        } else {
          key = cursor.key();
          c = cursor.counted();
          inFile = cursor.advance();
          if (!b.storedEntryLive(c)) {
            continue;
          }
        }
        Integer period = periodIndex.get(c.period());
        if (period == null) {
          throw new IllegalStateException("budget " + b.name + ": a de-duplication entry refers to period "
              + c.period() + ", which the budget does not hold");
        }
        writer.add(key, period, modelIndex.get(c.model()), c);
      }
      layouts.put(b.name, new Layout(List.copyOf(modelIndex.keySet()), writer.end()));
    }
    return layouts;
  }

  /** Writes the snapshot document naming the de-duplication file {@link #writeDedup} wrote. */
  static void write(OutputStream out, long generation, List<BudgetState> budgets, String dedupFile,
      long dedupBytes, Map<String, Layout> layouts) throws IOException {
    try (JsonGenerator g = JournalCodec.JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("format", FORMAT);
      g.writeStringField("kind", "tokenwatch-snapshot");
      g.writeNumberField("generation", generation);
      g.writeObjectFieldStart("dedup");
      g.writeStringField("file", dedupFile);
      g.writeNumberField("bytes", dedupBytes);
      g.writeEndObject();
      g.writeArrayFieldStart("budgets");
      for (BudgetState b : budgets) {
        writeBudget(g, b, layouts.get(b.name));
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void writeBudget(JsonGenerator g, BudgetState b, Layout layout) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", b.name);
    g.writeNumberField("historyCapacity", b.historyCapacity);
    g.writeArrayFieldStart("periods");
    for (BudgetState.Period p : b.periods.values()) {
      g.writeStartObject();
      g.writeStringField("start", InstantText.of(p.start));
      g.writeArrayFieldStart("claims");
      for (double c : p.claims) {
        g.writeNumber(c);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("models");
      for (Map.Entry<String, BudgetState.Totals> m : p.models.entrySet()) {
        BudgetState.Totals t = m.getValue();
        if (t.calls == 0) {
          continue; // every event of this model moved elsewhere: its totals are all zero
        }
        g.writeStartObject();
        g.writeStringField("model", m.getKey());
        g.writeNumberField("input", t.input);
        g.writeNumberField("output", t.output);
        g.writeNumberField("cacheCreation", t.cacheCreation);
        g.writeNumberField("cacheRead", t.cacheRead);
        g.writeNumberField("total", t.total);
        g.writeNumberField("calls", t.calls);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("models");
    for (String m : layout.models()) {
      g.writeString(m);
    }
    g.writeEndArray();
    DedupFile.SectionInfo section = layout.section();
    g.writeObjectFieldStart("counted");
    g.writeNumberField("offset", section.offset());
    g.writeNumberField("entries", section.entries());
    g.writeNumberField("bloomWords", section.bloomWords());
    g.writeNumberField("crc32c", section.crc());
    g.writeEndObject();
    g.writeArrayFieldStart("history");
    for (ChargedEvent e : b.history) {
      JournalCodec.writeEvent(g, e);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** A decoded snapshot. */
  record Snapshot(int format, long generation, Map<String, BudgetState> budgets, Dedup dedup) {}

  /**
   * The de-duplication file a format-2 snapshot names, and per budget (by name) its section with
   * the period and model lists the section's records index.
   */
  record Dedup(String file, long bytes, Map<String, Section> sections) {}

  /** A budget's section as the snapshot describes it. */
  record Section(DedupFile.SectionInfo info, Instant[] periods, String[] models) {}

  /**
   * Reads a snapshot; {@code headerOnly} stops after the generation.
   *
   * @throws StoreFileException naming {@code file} and the byte offset of the problem
   */
  static Snapshot read(Path file, InputStream in, boolean headerOnly) throws IOException {
    try (JsonParser p = JournalCodec.JSON.createParser(in)) {
      try {
        return read(p, headerOnly);
      } catch (FormatProblem e) {
        throw new StoreFileException(file, p.currentLocation().getByteOffset(), e.getMessage(), e);
      } catch (JsonProcessingException e) {
        throw new StoreFileException(file, p.currentLocation().getByteOffset(),
            "malformed snapshot JSON: " + e.getOriginalMessage(), e);
      }
    }
  }

  private static Snapshot read(JsonParser p, boolean headerOnly) throws IOException, FormatProblem {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new FormatProblem("not a tokenwatch snapshot (expected a JSON object)");
    }
    if (p.nextToken() != JsonToken.FIELD_NAME || !"format".equals(p.currentName())
        || p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
      throw new FormatProblem("not a tokenwatch snapshot (expected \"format\" as the first field)");
    }
    final int format = p.getIntValue();
    if (format > FORMAT) {
      throw new FormatProblem("snapshot has format version " + format + ", but this tokenwatch reads versions up to "
          + FORMAT + "; upgrade tokenwatch to use this directory (the file is left untouched)");
    }
    if (format < 1) {
      throw new FormatProblem("unknown snapshot format version " + format);
    }
    long generation = -1;
    Map<String, BudgetState> budgets = new HashMap<>();
    Map<String, Section> sections = new HashMap<>();
    String dedupFile = null;
    long dedupBytes = -1;
    boolean sawKind = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "kind":
          if (value != JsonToken.VALUE_STRING || !"tokenwatch-snapshot".equals(p.getText())) {
            throw new FormatProblem("not a tokenwatch snapshot (\"kind\" is " + p.getText() + ")");
          }
          sawKind = true;
          break;
        case "generation":
          if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new FormatProblem("field \"generation\" must be an integer");
          }
          generation = p.getLongValue();
          if (headerOnly) {
            return new Snapshot(format, generation, Map.of(), null);
          }
          break;
        case "dedup": {
          if (format < 2) {
            throw new FormatProblem("field \"dedup\" is not part of format " + format);
          }
          JsonNode node = p.readValueAsTree();
          dedupFile = JournalCodec.requireText(node, "file");
          dedupBytes = JournalCodec.requireLong(node, "bytes");
          if (!dedupFile.equals(DedupFile.fileName(generation))) {
            throw new FormatProblem("field \"dedup\" names " + dedupFile + ", expected "
                + DedupFile.fileName(generation) + " for generation " + generation);
          }
          break;
        }
        case "budgets":
          expect(value, JsonToken.START_ARRAY, "budgets");
          while (p.nextToken() == JsonToken.START_OBJECT) {
            BudgetState b = readBudget(p, format, sections);
            if (budgets.put(b.name, b) != null) {
              throw new FormatProblem("budget \"" + b.name + "\" appears twice");
            }
          }
          break;
        default:
          throw new FormatProblem("unknown snapshot field \"" + field + '"');
      }
    }
    if (!sawKind || generation < 0) {
      throw new FormatProblem("snapshot lacks \"kind\" or \"generation\"");
    }
    if (format >= 2 && dedupFile == null) {
      throw new FormatProblem("snapshot lacks \"dedup\"");
    }
    if (p.nextToken() != null) {
      throw new FormatProblem("unexpected content after the snapshot document");
    }
    return new Snapshot(format, generation, budgets,
        dedupFile == null ? null : new Dedup(dedupFile, dedupBytes, sections));
  }

  private static BudgetState readBudget(JsonParser p, int format, Map<String, Section> sections)
      throws IOException, FormatProblem {
    String name = null;
    int historyCapacity = -1;
    List<BudgetState.Period> periods = null;
    List<String> models = null;
    Map<Long, BudgetState.Counted> counted = new HashMap<>();
    DedupFile.SectionInfo section = null;
    List<ChargedEvent> history = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "name":
          expect(value, JsonToken.VALUE_STRING, "name");
          name = p.getText();
          break;
        case "historyCapacity":
          expect(value, JsonToken.VALUE_NUMBER_INT, "historyCapacity");
          historyCapacity = p.getIntValue();
          break;
        case "periods":
          periods = readPeriods(p.readValueAsTree());
          break;
        case "models": {
          JsonNode node = p.readValueAsTree();
          if (!node.isArray()) {
            throw new FormatProblem("field \"models\" must be an array");
          }
          models = new ArrayList<>();
          for (JsonNode m : node) {
            if (!m.isTextual()) {
              throw new FormatProblem("field \"models\" must hold strings");
            }
            models.add(m.textValue());
          }
          break;
        }
        case "counted":
          if (periods == null || models == null) {
            throw new FormatProblem("\"counted\" must follow \"periods\" and \"models\"");
          }
          if (format < 2) {
            expect(value, JsonToken.START_ARRAY, "counted");
            readCounted(p, periods, models, counted);
          } else {
            expect(value, JsonToken.START_OBJECT, "counted");
            JsonNode node = p.readValueAsTree();
            long bloomWords = JournalCodec.requireLong(node, "bloomWords");
            if (bloomWords < 1 || bloomWords > Integer.MAX_VALUE) {
              throw new FormatProblem("\"counted\" has an impossible \"bloomWords\": " + bloomWords);
            }
            section = new DedupFile.SectionInfo(JournalCodec.requireLong(node, "offset"),
                JournalCodec.requireLong(node, "entries"), (int) bloomWords, JournalCodec.requireLong(node, "crc32c"));
          }
          break;
        case "history": {
          JsonNode node = p.readValueAsTree();
          if (!node.isArray()) {
            throw new FormatProblem("field \"history\" must be an array");
          }
          history = new ArrayList<>(node.size());
          for (JsonNode e : node) {
            history.add(JournalCodec.readEvent(e));
          }
          break;
        }
        default:
          throw new FormatProblem("unknown budget field \"" + field + '"');
      }
    }
    if (name == null || historyCapacity < 0 || periods == null || history == null) {
      throw new FormatProblem("budget lacks one of \"name\", \"historyCapacity\", \"periods\", \"history\"");
    }
    if (format >= 2) {
      if (section == null) {
        throw new FormatProblem("budget \"" + name + "\" lacks \"counted\"");
      }
      Instant[] starts = new Instant[periods.size()];
      for (int i = 0; i < starts.length; i++) {
        starts[i] = periods.get(i).start;
      }
      sections.put(name, new Section(section, starts, models.toArray(new String[0])));
    }
    BudgetState b = new BudgetState(name);
    b.historyCapacity = historyCapacity;
    for (BudgetState.Period period : periods) {
      b.periods.put(period.start, period);
    }
    b.recent.putAll(counted);
    for (ChargedEvent e : history) {
      BudgetState.Period period = b.periods.get(e.periodStart());
      b.history.addLast(period == null ? e : new ChargedEvent(e.event(), period.start));
    }
    return b;
  }

  private static List<BudgetState.Period> readPeriods(JsonNode node) throws FormatProblem {
    if (!node.isArray()) {
      throw new FormatProblem("field \"periods\" must be an array");
    }
    List<BudgetState.Period> periods = new ArrayList<>(node.size());
    for (JsonNode n : node) {
      BudgetState.Period period = new BudgetState.Period(JournalCodec.requireInstant(n, "start"));
      for (JsonNode c : n.path("claims")) {
        if (!c.isNumber()) {
          throw new FormatProblem("claims of period " + period.start + " must be numbers");
        }
        period.claims.add(c.doubleValue());
      }
      for (JsonNode m : n.path("models")) {
        BudgetState.Totals t = period.totals(JournalCodec.requireText(m, "model"));
        t.input = JournalCodec.requireLong(m, "input");
        t.output = JournalCodec.requireLong(m, "output");
        t.cacheCreation = JournalCodec.requireLong(m, "cacheCreation");
        t.cacheRead = JournalCodec.requireLong(m, "cacheRead");
        t.total = JournalCodec.requireLong(m, "total");
        t.calls = JournalCodec.requireLong(m, "calls");
      }
      periods.add(period);
    }
    return periods;
  }

  private static void readCounted(JsonParser p, List<BudgetState.Period> periods, List<String> models,
      Map<Long, BudgetState.Counted> counted) throws IOException, FormatProblem {
    long[] row = new long[8];
    while (p.nextToken() == JsonToken.START_ARRAY) {
      for (int i = 0; i < row.length; i++) {
        if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
          throw new FormatProblem("a \"counted\" entry must be 8 integers");
        }
        row[i] = p.getLongValue();
      }
      if (p.nextToken() != JsonToken.END_ARRAY) {
        throw new FormatProblem("a \"counted\" entry must be 8 integers");
      }
      if (row[1] < 0 || row[1] >= periods.size() || row[2] < 0 || row[2] >= models.size()) {
        throw new FormatProblem("a \"counted\" entry refers to period " + row[1] + " or model " + row[2]
            + ", which do not exist");
      }
      counted.put(row[0], new BudgetState.Counted(periods.get((int) row[1]).start, models.get((int) row[2]),
          row[3], row[4], row[5], row[6], row[7]));
    }
  }

  private static void expect(JsonToken actual, JsonToken expected, String field) throws FormatProblem {
    if (actual != expected) {
      throw new FormatProblem("field \"" + field + "\" has the wrong type (" + actual + ")");
    }
  }
}
