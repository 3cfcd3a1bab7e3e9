package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One ledger event as stored: its sequence number (the order of recording, unique in the store)
 * and its fields, encoded by {@link #write} and decoded by {@link #read} into a reusable instance,
 * so that a scan builds no {@link TokenUsageEvent} (with its validation) per event.
 *
 * <pre>
 * seq (long) | epoch second (long) | nano (int) | input, output, cacheCreation, cacheRead, total (long)
 * | cost in nano-dollars, -1 unknown (long; not in the layout before the cost, read as unknown)
 * | requestId | model | project | session (strings, see BinaryOut#putString) | tag count (byte) | key, value...
 * </pre>
 */
final class StoredEvent {

  private static final SortedMap<String, String> NO_TAGS = Collections.unmodifiableSortedMap(new TreeMap<>());

  long seq;
  long second;
  int nano;
  long input;
  long output;
  long cacheCreation;
  long cacheRead;
  long total;
  long cost = TokenUsageEvent.NO_COST;
  /** Where the request id's UTF-8 bytes are (decoded only when asked for: scans never need it). */
  private byte[] idBytes;
  private int idFrom;
  private int idLength = -1;
  String model;
  String project;
  String session;
  SortedMap<String, String> tags = NO_TAGS;

  static void write(BinaryOut out, long seq, TokenUsageEvent e) {
    out.putLong(seq);
    out.putLong(e.timestamp().getEpochSecond());
    out.putInt(e.timestamp().getNano());
    out.putLong(e.inputTokens());
    out.putLong(e.outputTokens());
    out.putLong(e.cacheCreationTokens());
    out.putLong(e.cacheReadTokens());
    out.putLong(e.totalTokens());
    out.putLong(e.costNanoUsd());
    out.putString(e.requestId());
    out.putString(e.model());
    out.putString(e.project());
    out.putString(e.session());
    out.putByte(e.tags().size());
    for (Map.Entry<String, String> tag : e.tags().entrySet()) {
      out.putString(tag.getKey());
      out.putString(tag.getValue());
    }
  }

  /** Fills this instance with the next event of {@code in}, in the current layout. */
  StoredEvent read(BinaryIn in) throws FormatProblem {
    return read(in, true);
  }

  /** Fills this instance with the next event of {@code in}; {@code withCost} false: the layout before the cost. */
  StoredEvent read(BinaryIn in, boolean withCost) throws FormatProblem {
    seq = in.getLong();
    second = in.getLong();
    nano = in.getInt();
    input = in.getLong();
    output = in.getLong();
    cacheCreation = in.getLong();
    cacheRead = in.getLong();
    total = in.getLong();
    cost = withCost ? in.getLong() : TokenUsageEvent.NO_COST;
    int length = in.getShort();
    if (length == BinaryOut.NULL_STRING) {
      idLength = -1;
    } else {
      idBytes = in.array();
      idFrom = in.position();
      idLength = length;
      in.skip(length);
    }
    model = in.getString();
    project = in.getString();
    session = in.getString();
    int tagCount = in.getByte();
    if (tagCount == 0) {
      tags = NO_TAGS;
    } else {
      TreeMap<String, String> read = new TreeMap<>();
      for (int i = 0; i < tagCount; i++) {
        read.put(in.getString(), in.getString());
      }
      tags = read;
    }
    if (model == null || nano < 0 || nano > 999_999_999 || cost < TokenUsageEvent.NO_COST) {
      throw new FormatProblem("invalid event " + seq + " (model " + model + ", nano " + nano + ", cost " + cost + ")");
    }
    return this;
  }

  boolean hasRequestId() {
    return idLength >= 0;
  }

  /** The request id; valid until the bytes read from are reused (the next block read). */
  String requestId() {
    return idLength < 0 ? null : new String(idBytes, idFrom, idLength, java.nio.charset.StandardCharsets.UTF_8);
  }

  Instant timestamp() {
    return Instant.ofEpochSecond(second, nano);
  }

  boolean isBefore(Instant at) {
    return second < at.getEpochSecond() || (second == at.getEpochSecond() && nano < at.getNano());
  }

  /** The event's counts, as {@link Counts#of} gives them. */
  Counts counts() {
    return cost == TokenUsageEvent.NO_COST ? new Counts(input, output, cacheCreation, cacheRead, total, 1)
        : new Counts(input, output, cacheCreation, cacheRead, total, 1, cost, 0, 0);
  }

  boolean chargedTo(BudgetWindow window) {
    return window.contains(timestamp()) && window.scope().matches(model, project, session, tags);
  }

  /** The event, validated as any event is. */
  TokenUsageEvent toEvent() throws FormatProblem {
    try {
      return new TokenUsageEvent(model, input, output, cacheCreation, cacheRead, total, timestamp(), requestId(),
          project, session, tags, cost);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new FormatProblem("invalid event " + seq + ": " + e.getMessage(), e);
    }
  }
}
