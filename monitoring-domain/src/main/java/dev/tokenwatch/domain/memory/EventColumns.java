package dev.tokenwatch.domain.memory;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.Counts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The events of an {@link InMemoryUsageStore} in columns of primitives: per event its time, its
 * five token counts and the index of its dimensions (model, project, session, tags, each distinct
 * combination kept once), about 60 bytes an event and no object per event, so tracking millions of
 * events costs little garbage collection. Positions are stable; a removed event is marked dead and
 * the columns are compacted once dead events are the majority. Not thread-safe.
 */
final class EventColumns {

  private static final int DEAD = -1;

  private long[] seconds = new long[64];
  private int[] nanos = new int[64];
  /** input, output, cache creation, cache read, total: five per event. */
  private long[] counts = new long[64 * 5];
  private int[] dims = new int[64];
  private String[] requestIds = new String[64];
  private int size;
  private int dead;

  private final List<Dims> dictionary = new ArrayList<>();
  private final Map<Dims, Integer> dimsIndex = new HashMap<>();
  /** The dimensions of the event added last: consecutive events nearly always share them. */
  private TokenUsageEvent lastEvent;
  private int lastDims = DEAD;

  /** One distinct combination of an event's dimensions. */
  record Dims(String model, String project, String session, SortedMap<String, String> tags) {}

  /** Adds {@code event}; returns its position. */
  int add(TokenUsageEvent event) {
    if (size == seconds.length) {
      grow();
    }
    int at = size++;
    seconds[at] = event.timestamp().getEpochSecond();
    nanos[at] = event.timestamp().getNano();
    int c = at * 5;
    counts[c] = event.inputTokens();
    counts[c + 1] = event.outputTokens();
    counts[c + 2] = event.cacheCreationTokens();
    counts[c + 3] = event.cacheReadTokens();
    counts[c + 4] = event.totalTokens();
    dims[at] = dimsOf(event);
    requestIds[at] = event.requestId();
    return at;
  }

  private int dimsOf(TokenUsageEvent event) {
    TokenUsageEvent last = lastEvent;
    if (last != null && last.model() == event.model() && last.project() == event.project()
        && last.session() == event.session() && last.tags() == event.tags()) {
      return lastDims;
    }
    Dims key = new Dims(event.model(), event.project(), event.session(), event.tags());
    Integer index = dimsIndex.get(key);
    if (index == null) {
      index = dictionary.size();
      dictionary.add(key);
      dimsIndex.put(key, index);
    }
    lastEvent = event;
    lastDims = index;
    return index;
  }

  private void grow() {
    int capacity = seconds.length * 2;
    seconds = Arrays.copyOf(seconds, capacity);
    nanos = Arrays.copyOf(nanos, capacity);
    counts = Arrays.copyOf(counts, capacity * 5);
    dims = Arrays.copyOf(dims, capacity);
    requestIds = Arrays.copyOf(requestIds, capacity);
  }

  /** Positions in use, dead ones included: iterate from 0 and skip those not {@link #live}. */
  int size() {
    return size;
  }

  boolean live(int at) {
    return dims[at] != DEAD;
  }

  /** Marks the event at {@code at} removed. */
  void remove(int at) {
    dims[at] = DEAD;
    requestIds[at] = null;
    dead++;
  }

  /** Whether dead events are the majority, so {@link #compact} pays off. */
  boolean wantsCompaction() {
    return dead > 1024 && dead > size / 2;
  }

  /**
   * Moves the live events to the front, in order; returns the new position of each old one ({@code
   * -1} for dead ones).
   */
  int[] compact() {
    int[] moved = new int[size];
    int to = 0;
    for (int from = 0; from < size; from++) {
      if (dims[from] == DEAD) {
        moved[from] = -1;
        continue;
      }
      moved[from] = to;
      seconds[to] = seconds[from];
      nanos[to] = nanos[from];
      System.arraycopy(counts, from * 5, counts, to * 5, 5);
      dims[to] = dims[from];
      requestIds[to] = requestIds[from];
      to++;
    }
    Arrays.fill(requestIds, to, size, null);
    size = to;
    dead = 0;
    return moved;
  }

  long totalTokens(int at) {
    return counts[at * 5 + 4];
  }

  Instant timestamp(int at) {
    return Instant.ofEpochSecond(seconds[at], nanos[at]);
  }

  /** Whether the event at {@code at} lies before {@code cutoff}. */
  boolean before(int at, Instant cutoff) {
    return seconds[at] < cutoff.getEpochSecond()
        || seconds[at] == cutoff.getEpochSecond() && nanos[at] < cutoff.getNano();
  }

  Dims dims(int at) {
    return dictionary.get(dims[at]);
  }

  String requestId(int at) {
    return requestIds[at];
  }

  Counts counts(int at) {
    int c = at * 5;
    return new Counts(counts[c], counts[c + 1], counts[c + 2], counts[c + 3], counts[c + 4], 1);
  }

  /** The event at {@code at}, as it was recorded. */
  TokenUsageEvent event(int at) {
    Dims d = dims(at);
    int c = at * 5;
    return new TokenUsageEvent(d.model(), counts[c], counts[c + 1], counts[c + 2], counts[c + 3], counts[c + 4],
        timestamp(at), requestIds[at], d.project(), d.session(), d.tags());
  }

  @Override
  public String toString() {
    return "EventColumns[" + (size - dead) + " events, " + dictionary.size() + " dimension sets]";
  }
}
