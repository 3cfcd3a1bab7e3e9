package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The budget windows' kept totals and claimed thresholds, by {@link BudgetWindow#key()}: small (one
 * entry per budget period used), held in memory, written whole into each manifest and changed by
 * journal records in between.
 */
final class Windows {

  /** One window's state; {@code totals} is null when none are kept (the ledger's figure applies). */
  static final class Kept {
    final String key;
    final Instant start;
    final Instant end;
    Counts totals;
    final TreeSet<Double> claims = new TreeSet<>();

    Kept(String key, Instant start, Instant end) {
      this.key = key;
      this.start = start;
      this.end = end;
    }
  }

  private final Map<String, Kept> byKey = new HashMap<>();

  Collection<Kept> all() {
    return Collections.unmodifiableCollection(byKey.values());
  }

  /** The kept totals of the window with {@code key}, or null. */
  Counts totals(String key) {
    Kept kept = byKey.get(key);
    return kept == null ? null : kept.totals;
  }

  void setTotals(String key, Instant start, Instant end, Counts totals) {
    byKey.computeIfAbsent(key, k -> new Kept(k, start, end)).totals = totals;
  }

  /** Claims {@code threshold}: false if it or a higher one is claimed already. */
  boolean claim(String key, Instant start, Instant end, double threshold) {
    Kept kept = byKey.computeIfAbsent(key, k -> new Kept(k, start, end));
    if (!kept.claims.isEmpty() && kept.claims.last() >= threshold) {
      return false;
    }
    kept.claims.add(threshold);
    return true;
  }

  SortedSet<Double> claims(String key) {
    Kept kept = byKey.get(key);
    return kept == null || kept.claims.isEmpty() ? Collections.emptySortedSet()
        : Collections.unmodifiableSortedSet(new TreeSet<>(kept.claims));
  }

  /** What {@code UsageStore.resetWindow} forgets besides the events: the claims of the window, every overlapping total. */
  void reset(String key, Instant start, Instant end) {
    Kept own = byKey.get(key);
    if (own != null) {
      own.claims.clear();
    }
    byKey.values().removeIf(kept -> {
      if (kept.start.isBefore(end) && start.isBefore(kept.end)) {
        kept.totals = null;
      }
      return kept.totals == null && kept.claims.isEmpty();
    });
  }

  void load(Kept kept) {
    byKey.put(kept.key, kept);
  }

  void clear() {
    byKey.clear();
  }
}
