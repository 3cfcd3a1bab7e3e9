package dev.tokenwatch.app.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads back what {@link AuditJson} wrote: the lines of a file as JSON objects, and the events in them
 * exactly as they were tracked (the line keeps all of an event's fields, so the event read is equal to
 * the one written). Used after a crash only, so it favours simplicity over speed.
 */
final class AuditLines {

  /** Dollars as exact decimals, not doubles: a cost reads back to the nano-dollar. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private AuditLines() {}

  /**
   * Each complete line of {@code file} as a JSON object, in order; a line that is not one (cut short
   * by a crash, or written by something else) is skipped. A missing file has no lines.
   */
  static void forEach(Path file, Consumer<JsonNode> action) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        JsonNode node = parse(line);
        if (node != null) {
          action.accept(node);
        }
      }
    } catch (NoSuchFileException gone) {
      // nothing to read: rolled over or never written
    }
  }

  private static JsonNode parse(String line) {
    if (line.isEmpty() || line.charAt(line.length() - 1) != '}') {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(line);
      return node != null && node.isObject() ? node : null;
    } catch (IOException notJson) {
      return null;
    }
  }

  /**
   * The events a line names: a {@code track} line's event, the {@code events} of a {@code batch},
   * {@code recovered} or pending line; none for other lines.
   */
  static List<TokenUsageEvent> events(JsonNode line) {
    List<TokenUsageEvent> events = new ArrayList<>();
    if ("track".equals(line.path("event").asText())) {
      events.add(event(line));
    } else if (line.path("events").isArray()) {
      for (JsonNode event : line.get("events")) {
        events.add(event(event));
      }
    }
    return events;
  }

  /** The event whose fields {@code node} holds, as {@link AuditJson} writes them. */
  static TokenUsageEvent event(JsonNode node) {
    TreeMap<String, String> tags = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("tags").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> tag = it.next();
      tags.put(tag.getKey(), tag.getValue().asText());
    }
    long cost = node.has("costUsd")
        ? node.get("costUsd").decimalValue().movePointRight(9).longValueExact()
        : TokenUsageEvent.NO_COST;
    return new TokenUsageEvent(node.path("model").asText(), node.path("inputTokens").asLong(),
        node.path("outputTokens").asLong(), node.path("cacheCreationTokens").asLong(),
        node.path("cacheReadTokens").asLong(), node.path("tokens").asLong(),
        Instant.parse(node.path("timestamp").asText()), text(node, "requestId"), text(node, "project"),
        text(node, "session"), tags, cost);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
