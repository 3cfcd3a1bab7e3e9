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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshot document: the whole state as of the start of journal {@code generation}.
 *
 * <pre>
 * {"format":1, "kind":"tokenwatch-snapshot", "generation":G, "budgets":[
 *   {"name":..., "historyCapacity":N,
 *    "periods":[{"start":ISO, "claims":[0.5,...], "models":[{"model":..,"input":..,...,"calls":..}]}],
 *    "models":[model names used by "counted"],
 *    "counted":[[requestKey, periodIndex, modelIndex, input, output, cacheCreation, cacheRead, total], ...],
 *    "history":[event, ...]}]}
 * </pre>
 *
 * "format" comes first, so a newer document is refused before anything else in it is interpreted.
 * The de-duplication table is written as arrays of numbers that index the period and model lists:
 * about 60 bytes per request id. It is read with the streaming parser, so it is never held as a tree.
 */
final class SnapshotCodec {

  private SnapshotCodec() {}

  static void write(OutputStream out, long generation, Map<String, BudgetState> budgets) throws IOException {
    try (JsonGenerator g = JournalCodec.JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("format", FORMAT);
      g.writeStringField("kind", "tokenwatch-snapshot");
      g.writeNumberField("generation", generation);
      g.writeArrayFieldStart("budgets");
      for (BudgetState b : budgets.values()) {
        writeBudget(g, b);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void writeBudget(JsonGenerator g, BudgetState b) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", b.name);
    g.writeNumberField("historyCapacity", b.historyCapacity);
    Map<Instant, Integer> periodIndex = new HashMap<>();
    g.writeArrayFieldStart("periods");
    for (BudgetState.Period p : b.periods.values()) {
      periodIndex.put(p.start, periodIndex.size());
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
    Map<String, Integer> modelIndex = new HashMap<>();
    List<String> models = new ArrayList<>();
    for (BudgetState.Counted c : b.counted.values()) {
      if (modelIndex.putIfAbsent(c.model(), models.size()) == null) {
        models.add(c.model());
      }
    }
    g.writeArrayFieldStart("models");
    for (String m : models) {
      g.writeString(m);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("counted");
    for (Map.Entry<Long, BudgetState.Counted> e : b.counted.entrySet()) {
      BudgetState.Counted c = e.getValue();
      g.writeStartArray();
      g.writeNumber(e.getKey());
      g.writeNumber(periodIndex.get(c.period()));
      g.writeNumber(modelIndex.get(c.model()));
      g.writeNumber(c.input());
      g.writeNumber(c.output());
      g.writeNumber(c.cacheCreation());
      g.writeNumber(c.cacheRead());
      g.writeNumber(c.total());
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("history");
    for (ChargedEvent e : b.history) {
      JournalCodec.writeEvent(g, e);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** A decoded snapshot. */
  record Snapshot(long generation, Map<String, BudgetState> budgets) {}

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
    int format = p.getIntValue();
    if (format > FORMAT) {
      throw new FormatProblem("snapshot has format version " + format + ", but this tokenwatch reads versions up to "
          + FORMAT + "; upgrade tokenwatch to use this directory (the file is left untouched)");
    }
    if (format < 1) {
      throw new FormatProblem("unknown snapshot format version " + format);
    }
    long generation = -1;
    Map<String, BudgetState> budgets = new HashMap<>();
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
            return new Snapshot(generation, Map.of());
          }
          break;
        case "budgets":
          expect(value, JsonToken.START_ARRAY, "budgets");
          while (p.nextToken() == JsonToken.START_OBJECT) {
            BudgetState b = readBudget(p);
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
    if (p.nextToken() != null) {
      throw new FormatProblem("unexpected content after the snapshot document");
    }
    return new Snapshot(generation, budgets);
  }

  private static BudgetState readBudget(JsonParser p) throws IOException, FormatProblem {
    String name = null;
    int historyCapacity = -1;
    List<BudgetState.Period> periods = null;
    List<String> models = null;
    Map<Long, BudgetState.Counted> counted = new HashMap<>();
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
          expect(value, JsonToken.START_ARRAY, "counted");
          readCounted(p, periods, models, counted);
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
    BudgetState b = new BudgetState(name);
    b.historyCapacity = historyCapacity;
    for (BudgetState.Period period : periods) {
      b.periods.put(period.start, period);
    }
    b.counted.putAll(counted);
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
