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
 * five token counts, its cost and the index of its dimensions (model, project, session, tags, each distinct
 * combination kept once), about 70 bytes an event and no object per event, so tracking millions of
 * events costs little garbage collection. Positions are stable; a removed event is marked dead and
 * the columns are compacted once dead events are the majority. Not thread-safe.
 */
final class EventColumns {

  private static final int DEAD = -1;

  /**
   * Events in chunks of a fixed size rather than arrays that double: growing never copies what is
   * stored (a doubling copy of hundreds of megabytes stalled tracking), and no array is large enough
   * for the collector to treat it specially.
   */
  private static final int CHUNK_BITS = 14;
  private static final int CHUNK = 1 << CHUNK_BITS;
  private static final int MASK = CHUNK - 1;

  private final List<Chunk> chunks = new ArrayList<>();
  private int size;
  private int dead;

  private final List<Dims> dictionary = new ArrayList<>();
  private final Map<Dims, Integer> dimsIndex = new HashMap<>();
  /** The dimensions of the event added last: consecutive events nearly always share them. */
  private TokenUsageEvent lastEvent;
  private int lastDims = DEAD;

  /** The columns of up to {@link #CHUNK} events. */
  private static final class Chunk {
    final long[] seconds = new long[CHUNK];
    final int[] nanos = new int[CHUNK];
    /** input, output, cache creation, cache read, total: five per event. */
    final long[] counts = new long[CHUNK * 5];
    /** Nano-dollars, or {@link TokenUsageEvent#NO_COST}. */
    final long[] costs = new long[CHUNK];
    final int[] dims = new int[CHUNK];
    final String[] requestIds = new String[CHUNK];
  }

  private Chunk chunk(int at) {
    return chunks.get(at >>> CHUNK_BITS);
  }

  /** One distinct combination of an event's dimensions. */
  record Dims(String model, String project, String session, SortedMap<String, String> tags) {}

  /** Adds {@code event}; returns its position. */
  int add(TokenUsageEvent event) {
    int at = size++;
    if ((at & MASK) == 0 && chunks.size() == at >>> CHUNK_BITS) {
      chunks.add(new Chunk());
    }
    put(chunk(at), at & MASK, event.timestamp().getEpochSecond(), event.timestamp().getNano(), event.inputTokens(),
        event.outputTokens(), event.cacheCreationTokens(), event.cacheReadTokens(), event.totalTokens(),
        event.costNanoUsd(), dimsOf(event), event.requestId());
    return at;
  }

  private static void put(Chunk k, int i, long second, int nano, long input, long output, long cacheCreation,
      long cacheRead, long total, long cost, int dimsIndex, String requestId) {
    k.seconds[i] = second;
    k.nanos[i] = nano;
    int c = i * 5;
    k.counts[c] = input;
    k.counts[c + 1] = output;
    k.counts[c + 2] = cacheCreation;
    k.counts[c + 3] = cacheRead;
    k.counts[c + 4] = total;
    k.costs[i] = cost;
    k.dims[i] = dimsIndex;
    k.requestIds[i] = requestId;
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

  /** Positions in use, dead ones included: iterate from 0 and skip those not {@link #live}. */
  int size() {
    return size;
  }

  boolean live(int at) {
    return chunk(at).dims[at & MASK] != DEAD;
  }

  /** Marks the event at {@code at} removed. */
  void remove(int at) {
    Chunk k = chunk(at);
    k.dims[at & MASK] = DEAD;
    k.requestIds[at & MASK] = null;
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
      Chunk f = chunk(from);
      int i = from & MASK;
      if (f.dims[i] == DEAD) {
        moved[from] = -1;
        continue;
      }
      moved[from] = to;
      int c = i * 5;
      put(chunk(to), to & MASK, f.seconds[i], f.nanos[i], f.counts[c], f.counts[c + 1], f.counts[c + 2],
          f.counts[c + 3], f.counts[c + 4], f.costs[i], f.dims[i], f.requestIds[i]);
      to++;
    }
    int keep = (to + MASK) >>> CHUNK_BITS;
    while (chunks.size() > keep) {
      chunks.remove(chunks.size() - 1);
    }
    if (to > 0) {
      Arrays.fill(chunk(to - 1).requestIds, ((to - 1) & MASK) + 1, CHUNK, null);
    }
    size = to;
    dead = 0;
    return moved;
  }

  long totalTokens(int at) {
    return chunk(at).counts[(at & MASK) * 5 + 4];
  }

  Instant timestamp(int at) {
    Chunk k = chunk(at);
    return Instant.ofEpochSecond(k.seconds[at & MASK], k.nanos[at & MASK]);
  }

  /** Whether the event at {@code at} lies before {@code cutoff}. */
  boolean before(int at, Instant cutoff) {
    Chunk k = chunk(at);
    long second = k.seconds[at & MASK];
    return second < cutoff.getEpochSecond() || second == cutoff.getEpochSecond() && k.nanos[at & MASK] < cutoff.getNano();
  }

  Dims dims(int at) {
    return dictionary.get(chunk(at).dims[at & MASK]);
  }

  String requestId(int at) {
    return chunk(at).requestIds[at & MASK];
  }

  Counts counts(int at) {
    Chunk k = chunk(at);
    long[] counts = k.counts;
    int c = (at & MASK) * 5;
    long cost = k.costs[at & MASK];
    boolean priced = cost != TokenUsageEvent.NO_COST;
    return new Counts(counts[c], counts[c + 1], counts[c + 2], counts[c + 3], counts[c + 4], 1, priced ? cost : 0,
        priced ? 0 : 1, priced ? 0 : counts[c + 4]);
  }

  /** The event at {@code at}, as it was recorded. */
  TokenUsageEvent event(int at) {
    Dims d = dims(at);
    long[] counts = chunk(at).counts;
    int c = (at & MASK) * 5;
    return new TokenUsageEvent(d.model(), counts[c], counts[c + 1], counts[c + 2], counts[c + 3], counts[c + 4],
        timestamp(at), requestId(at), d.project(), d.session(), d.tags(), chunk(at).costs[at & MASK]);
  }

  @Override
  public String toString() {
    return "EventColumns[" + (size - dead) + " events, " + dictionary.size() + " dimension sets]";
  }
}
