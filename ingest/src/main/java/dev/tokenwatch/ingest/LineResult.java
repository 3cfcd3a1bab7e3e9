package dev.tokenwatch.ingest;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * What parsing one line gave: an event, or the reason it was skipped, is malformed or must wait.
 * Builds the event from what a format read — timestamp checks, the run's default dimensions,
 * canonical model names — so every format treats these alike. One instance per line parser.
 */
final class LineResult {

  private final IngestDimensions defaults;
  /** At most this many canonical strings of each kind are kept (a run's memory stays bounded). */
  private static final int MAX_CANONICAL = 10_000;

  /** Canonical model names: a log names a handful of models millions of times. */
  private final Map<String, String> models = new HashMap<>();
  /**
   * Canonical projects and sessions: every line of a session log repeats both, and the file store
   * keeps the events it recorded since its last compaction in memory, so one copy each rather than
   * one per event (a first ingest of 100,000 lines kept ~40,000 copies of each).
   */
  private final Map<String, String> dimensionValues = new HashMap<>();

  TokenUsageEvent event;
  String reason;
  boolean chargedAtIngestTime;
  boolean truncated;

  LineResult(IngestDimensions defaults) {
    this.defaults = defaults;
  }

  void reset() {
    event = null;
    reason = null;
    chargedAtIngestTime = false;
    truncated = false;
  }

  LineParser.Kind malformed(String why) {
    reason = why;
    return LineParser.Kind.MALFORMED;
  }

  /** The same string for the same model name, so millions of events share a handful. */
  String model(String model) {
    return canonical(models, model);
  }

  private static String canonical(Map<String, String> known, String value) {
    if (value == null) {
      return null;
    }
    String same = known.get(value);
    if (same != null) {
      return same;
    }
    if (known.size() < MAX_CANONICAL) {
      known.put(value, value);
    }
    return value;
  }

  /**
   * Finishes {@code builder} (counts set) with the timestamp, key and dimensions and builds the
   * event; a record stamped too far ahead of {@code now} is {@link LineParser.Kind#FUTURE}.
   *
   * @param path where the counts came from, to prefix the domain's message ("" at top level)
   * @param time the line's timestamp (string or epoch seconds) or null: charged to {@code now}
   * @param dimensions the record's own project, session and tags, named after their fields
   */
  LineParser.Kind build(TokenUsageEvent.Builder builder, String path, String key, Object time, Instant now,
      Dimensions dimensions) {
    Instant timestamp = toInstant(time);
    if (timestamp == null) {
      timestamp = now;
      chargedAtIngestTime = true;
    } else if (timestamp.isBefore(Timestamps.EARLIEST)) {
      return malformed("timestamp " + timestamp + " is before " + Timestamps.EARLIEST);
    } else if (timestamp.isAfter(now.plus(TokenTracker.MAX_CLOCK_SKEW))) {
      reason = "timestamp " + timestamp + " is more than " + TokenTracker.MAX_CLOCK_SKEW.toMinutes()
          + " minutes ahead of the clock (now " + now + ')';
      return LineParser.Kind.FUTURE;
    }
    builder.timestamp(timestamp).requestId(key);
    TokenUsageEvent counted;
    try {
      counted = builder.build();
    } catch (IllegalArgumentException e) {
      return malformed(path.isEmpty() ? e.getMessage() : path + ": " + e.getMessage());
    }
    String project = canonical(dimensionValues,
        dimensions.project() != null ? dimensions.project() : defaults.project());
    String session = canonical(dimensionValues,
        dimensions.session() != null ? dimensions.session() : defaults.session());
    SortedMap<String, String> tags = dimensions.tags() != null && !dimensions.tags().isEmpty()
        ? dimensions.tags() : defaults.tags();
    if (project == null && session == null && tags.isEmpty()) {
      event = counted;
      return LineParser.Kind.EVENT;
    }
    try {
      event = counted.withDimensions(project, session, tags);
      return LineParser.Kind.EVENT;
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      String field = message.startsWith("project") ? dimensions.projectField()
          : message.startsWith("session") ? dimensions.sessionField() : dimensions.tagsField();
      return malformed(field + ": " + message);
    }
  }

  /** The negative count among the named ones, as the malformed reason; null if none is negative. */
  LineParser.Kind firstNegative(String n1, long v1, String n2, long v2, String n3, long v3, String n4, long v4) {
    String name = v1 < 0 ? n1 : v2 < 0 ? n2 : v3 < 0 ? n3 : v4 < 0 ? n4 : null;
    if (name == null) {
      return null;
    }
    long value = v1 < 0 ? v1 : v2 < 0 ? v2 : v3 < 0 ? v3 : v4;
    return malformed(name + " must not be negative, got " + value);
  }

  /** An ISO-8601 instant (with offset) or epoch seconds; null if absent or not usable. */
  private static Instant toInstant(Object time) {
    try {
      if (time instanceof String text) {
        Instant fast = Timestamps.parseUtc(text);
        return fast != null ? fast : Instant.parse(text);
      }
      if (time instanceof BigDecimal seconds) {
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        return Instant.ofEpochSecond(whole.longValueExact(), seconds.subtract(whole).movePointRight(9).longValue());
      }
    } catch (DateTimeException | ArithmeticException e) {
      // not a usable timestamp: the record is charged to the time of ingest, as documented
      return null;
    }
    return null;
  }

  /**
   * A record's own dimensions and the fields they came from (for messages); null where the record
   * has none, and the run's defaults apply.
   */
  record Dimensions(String project, String projectField, String session, String sessionField,
      SortedMap<String, String> tags, String tagsField) {

    static final Dimensions NONE = new Dimensions(null, null, null, null, null, null);
  }
}
