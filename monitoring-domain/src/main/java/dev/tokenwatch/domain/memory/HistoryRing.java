package dev.tokenwatch.domain.memory;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The most recent events of a budget in a fixed-size ring, oldest overwritten first. Not thread-safe. */
final class HistoryRing {

  private ChargedEvent[] ring = new ChargedEvent[0];
  private int next;
  private int size;

  void ensureCapacity(int capacity) {
    if (capacity != ring.length) {
      List<ChargedEvent> kept = all();
      ring = new ChargedEvent[capacity];
      next = 0;
      size = 0;
      for (ChargedEvent e : kept.subList(Math.max(0, kept.size() - capacity), kept.size())) {
        add(e);
      }
    }
  }

  void add(ChargedEvent event) {
    ring[next] = event;
    next = next + 1 == ring.length ? 0 : next + 1;
    if (size < ring.length) {
      size++;
    }
  }

  void remove(ChargedEvent event) {
    removeIf(e -> e == event);
  }

  void removeIf(Predicate<ChargedEvent> condition) {
    List<ChargedEvent> kept = all();
    if (kept.removeIf(condition)) {
      java.util.Arrays.fill(ring, null);
      next = 0;
      size = 0;
      kept.forEach(this::add);
    }
  }

  /** The newest {@code limit} events, oldest first. */
  List<TokenUsageEvent> newest(int limit) {
    List<ChargedEvent> all = all();
    List<TokenUsageEvent> result = new ArrayList<>(Math.min(limit, all.size()));
    for (ChargedEvent e : all.subList(Math.max(0, all.size() - limit), all.size())) {
      result.add(e.event());
    }
    return result;
  }

  private List<ChargedEvent> all() {
    List<ChargedEvent> result = new ArrayList<>(size);
    int start = (next - size + ring.length) % Math.max(1, ring.length);
    for (int i = 0; i < size; i++) {
      result.add(ring[(start + i) % ring.length]);
    }
    return result;
  }
}
