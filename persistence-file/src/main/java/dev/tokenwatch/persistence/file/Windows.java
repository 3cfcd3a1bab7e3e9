package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The budget windows' kept totals (with the scope that decides which events they count) and claimed
 * thresholds, by {@link BudgetWindow#key()}: small (one entry per budget period used), held in
 * memory, written whole into each manifest and changed by journal records in between. The windows
 * with totals are also indexed by their end, so a record looks only at those ending after its
 * earliest event, however many past periods are kept.
 */
final class Windows {

  /** One window's state; {@code totals} is null when none are kept (the ledger's figure applies). */
  static final class Kept {
    final String key;
    final Instant start;
    final Instant end;
    /** Which events the totals count; set with the totals. */
    UsageFilter scope;
    Counts totals;
    final TreeSet<Double> claims = new TreeSet<>();
    /** The window's number in the current journal once it appeared there in full; -1 before. */
    int journalId = -1;

    Kept(String key, Instant start, Instant end) {
      this.key = key;
      this.start = start;
      this.end = end;
    }

    boolean contains(Instant at) {
      return !at.isBefore(start) && at.isBefore(end);
    }

    boolean charges(TokenUsageEvent event) {
      return contains(event.timestamp()) && scope.matches(event);
    }
  }

  private final Map<String, Kept> byKey = new HashMap<>();
  /** The windows with totals, by end. */
  private final TreeMap<Instant, List<Kept>> keptByEnd = new TreeMap<>();
  /** The windows in the order of their first appearance in the current journal. */
  private final List<Kept> inJournal = new ArrayList<>();

  Collection<Kept> all() {
    return Collections.unmodifiableCollection(byKey.values());
  }

  /** The kept totals of the window with {@code key}, or null. */
  Counts totals(String key) {
    Kept kept = byKey.get(key);
    return kept == null ? null : kept.totals;
  }

  /** Keeps {@code totals} for the window (from now on charged every event its scope and period take). */
  Kept setTotals(String key, Instant start, Instant end, UsageFilter scope, Counts totals) {
    Kept kept = byKey.computeIfAbsent(key, k -> new Kept(k, start, end));
    if (kept.totals == null) {
      keptByEnd.computeIfAbsent(end, e -> new ArrayList<>(2)).add(kept);
    }
    kept.scope = scope;
    kept.totals = totals;
    return kept;
  }

  /**
   * The number under which a journal record may refer to {@code kept} (written in full once per
   * journal, then by number: a window's key and scope are most of a record's bytes), or -1 if this
   * is its first appearance, which numbers it. Writers and replay call this in the same order.
   */
  int journalRef(Kept kept) {
    if (kept.journalId >= 0) {
      return kept.journalId;
    }
    kept.journalId = inJournal.size();
    inJournal.add(kept);
    return -1;
  }

  /** Applies journaled totals: in full (numbering the window), or by the window's number. */
  void replay(JournalRecord.WindowTotals w) throws FormatProblem {
    if (w.ref() < 0) {
      journalRef(setTotals(w.key(), w.start(), w.end(), w.scope(), w.totals()));
      return;
    }
    Kept kept = w.ref() < inJournal.size() ? inJournal.get(w.ref()) : null;
    if (kept == null || kept.journalId != w.ref() || kept.scope == null) {
      throw new FormatProblem("refers to window " + w.ref() + ", which the journal did not define before");
    }
    setTotals(kept.key, kept.start, kept.end, kept.scope, w.totals());
  }

  /** Adds to {@code into} every window with totals ending in {@code (after, upTo]} ({@code upTo} null: open). */
  void endingIn(Instant after, Instant upTo, List<Kept> into) {
    var ending = upTo == null ? keptByEnd.tailMap(after, false) : keptByEnd.subMap(after, false, upTo, true);
    for (List<Kept> windows : ending.values()) {
      into.addAll(windows);
    }
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
        kept.scope = null;
        kept.journalId = -1; // its next record writes it in full again
      }
      return kept.totals == null && kept.claims.isEmpty();
    });
    keptByEnd.values().forEach(ending -> ending.removeIf(kept -> kept.totals == null));
    keptByEnd.values().removeIf(List::isEmpty);
  }

  /** Adds a window read from a manifest. */
  void load(Kept kept) {
    byKey.put(kept.key, kept);
    if (kept.totals != null) {
      keptByEnd.computeIfAbsent(kept.end, e -> new ArrayList<>(2)).add(kept);
    }
  }

  /**
   * The scope in a window's key, for the formats that kept no scope beside it: {@link
   * BudgetWindow#key()} is {@code budget|start|end|canonical scope}.
   *
   * @throws FormatProblem if the key is not that of a window with this period
   */
  static UsageFilter scopeInKey(String key, Instant start, Instant end) throws FormatProblem {
    String period = "|" + start + "|" + end + "|";
    int at = key.indexOf(period);
    try {
      if (at > 0) {
        UsageFilter scope = UsageFilter.fromCanonical(key.substring(at + period.length()));
        if (new BudgetWindow(key.substring(0, at), start, end, scope).key().equals(key)) {
          return scope;
        }
      }
    } catch (IllegalArgumentException e) {
      throw new FormatProblem("window key \"" + key + "\" does not end in a scope: " + e.getMessage(), e);
    }
    throw new FormatProblem("window key \"" + key + "\" is not that of a window from " + start + " to " + end);
  }
}
