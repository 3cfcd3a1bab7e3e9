package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The history query: the latest live events of a ledger passing a filter. Only (second, nano, seq)
 * stamps are kept while the files are scanned, newest blocks first, so the events read are the ones
 * returned.
 */
final class LatestEvents {

  private LatestEvents() {}

  /** The {@code limit} latest live events passing {@code filter}, oldest first (ties: order of recording). */
  static List<TokenUsageEvent> of(Ledger ledger, UsageFilter filter, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    PriorityQueue<long[]> latest = new PriorityQueue<>(LatestEvents::compareStamp);
    for (Ledger.Recent n : ledger.liveTail()) {
      if (filter.matches(n.event())) {
        Instant at = n.event().timestamp();
        offer(latest, new long[] {at.getEpochSecond(), at.getNano(), n.seq()}, limit);
      }
    }
    // once the heap is full, a block ending before its oldest stamp cannot help
    ledger.events().scan((min, max) -> latest.size() < limit || max >= latest.peek()[0], true,
        (s, raw, from, to) -> {
          if (!ledger.isDead(s) && filter.matches(s.model, s.project, s.session, s.tags)) {
            offer(latest, new long[] {s.second, s.nano, s.seq}, limit);
          }
        });
    List<long[]> sorted = new ArrayList<>(latest);
    sorted.sort(LatestEvents::compareStamp);
    List<TokenUsageEvent> result = new ArrayList<>(sorted.size());
    for (long[] stamp : sorted) {
      result.add(ledger.event(stamp[2]));
    }
    return result;
  }

  private static void offer(PriorityQueue<long[]> heap, long[] stamp, int limit) {
    if (heap.size() < limit) {
      heap.add(stamp);
    } else if (compareStamp(stamp, heap.peek()) > 0) {
      heap.poll();
      heap.add(stamp);
    }
  }

  private static int compareStamp(long[] a, long[] b) {
    for (int i = 0; i < 3; i++) {
      int c = Long.compare(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
