package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.RequestRule;
import dev.tokenwatch.domain.ledger.UsageAggregator;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.persistence.file.JournalRecord.Numbered;
import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ledger as one generation's files plus what its journal added since: the events recorded since
 * (the tail, at most a compaction's worth, in memory), the generation's events they replaced, the
 * windows reset and the retention cutoff. The one place that decides which events count: recording
 * applies {@link RequestRule} here, live and on replay alike, and every scan (queries, history,
 * window seeds, compaction) skips the same dead events. Not thread-safe: used under the store's
 * locks.
 */
final class Ledger implements Closeable {

  /** A reset and the first sequence number recorded after it (earlier events it charges are gone). */
  private record Reset(BudgetWindow window, long before) {}

  /**
   * An event recorded since the generation's files were written, with its request key (null without
   * id): given when recorded live, computed on first use when replayed (a SHA-256 per replayed event
   * made every open pay for keys only compaction and index lookups need).
   */
  static final class Recent {
    private final long seq;
    private final TokenUsageEvent event;
    private RequestKey key;

    Recent(long seq, TokenUsageEvent event, RequestKey key) {
      this.seq = seq;
      this.event = event;
      this.key = key;
    }

    long seq() {
      return seq;
    }

    TokenUsageEvent event() {
      return event;
    }

    RequestKey key() {
      if (key == null && event.requestId() != null) {
        key = RequestKey.of(event.requestId());
      }
      return key;
    }
  }

  /** The event counting a request id: its sequence number, total and time, and the event if at hand. */
  record Counted(long seq, long total, Instant at, TokenUsageEvent event) {}

  /** What recording one event did. */
  enum Outcome { RECORDED, REPLACED, DUPLICATE, BEFORE_RETENTION }

  private final EventsFile events;
  private final IdIndex ids;
  final Windows windows = new Windows();
  final Reservations reservations = new Reservations();
  final Outbox outbox = new Outbox();
  private final List<Recent> tail = new ArrayList<>();
  private final Map<String, Recent> tailById = new HashMap<>();
  private final Map<Long, Recent> tailBySeq = new HashMap<>();
  /** Sequence numbers of the generation's events replaced since; complete only after {@link #resolve()}. */
  private final Set<Long> superseded = new HashSet<>();
  /** Replayed events whose id the generation's index may count: looked up when the generation's events are next consulted. */
  private final List<Recent> unresolved = new ArrayList<>();
  private final List<Reset> resets = new ArrayList<>();
  private Instant retainedFrom;
  private long nextSeq;
  /** The event the last REPLACED outcome took the place of. */
  private Counted replacedLast;

  Ledger(Manifest manifest, EventsFile events, IdIndex ids) {
    this.events = events;
    this.ids = ids;
    this.retainedFrom = manifest.retainedFrom();
    this.nextSeq = manifest.nextSeq();
    for (Windows.Kept kept : manifest.windows()) {
      windows.load(kept);
    }
  }

  EventsFile events() {
    return events;
  }

  IdIndex ids() {
    return ids;
  }

  long nextSeq() {
    return nextSeq;
  }

  Instant retainedFrom() {
    return retainedFrom;
  }

  /** Events recorded since the generation's files were written. */
  int tailSize() {
    return tail.size();
  }

  // ---------------------------------------------------------------------------------------------
  // Recording

  /**
   * Records {@code event} (with its precomputed key, null without request id) under sequence number
   * {@link #nextSeq()} unless it is a duplicate or before the retained range.
   */
  Outcome record(TokenUsageEvent event, RequestKey key) {
    if (retainedFrom != null && event.timestamp().isBefore(retainedFrom)) {
      return Outcome.BEFORE_RETENTION;
    }
    Counted counted = event.requestId() == null ? null : counted(event.requestId(), key);
    Outcome outcome;
    switch (RequestRule.decide(counted == null ? -1 : counted.total(), event)) {
      case DUPLICATE:
        return Outcome.DUPLICATE;
      case REPLACE:
        superseded.add(counted.seq());
        replacedLast = counted;
        outcome = Outcome.REPLACED;
        break;
      default:
        outcome = Outcome.RECORDED;
    }
    Recent added = new Recent(nextSeq++, event, key);
    tail.add(added);
    tailBySeq.put(added.seq(), added);
    if (event.requestId() != null) {
      tailById.put(event.requestId(), added);
    }
    return outcome;
  }

  /** The time of the event the last {@link Outcome#REPLACED} took the place of (known without reading it). */
  Instant replacedAt() {
    return replacedLast.at();
  }

  /** The event the last {@link Outcome#REPLACED} took the place of, read from its file if need be. */
  TokenUsageEvent replacedEvent() {
    if (replacedLast.event() != null) {
      return replacedLast.event();
    }
    StoredEvent stored = events.find(replacedLast.seq());
    if (stored == null) {
      throw new StoreFileException(ids.path(), -1, "names event " + replacedLast.seq() + ", which "
          + events.path() + " does not hold. " + StoreFiles.RESTORE);
    }
    try {
      return stored.toEvent();
    } catch (FormatProblem e) {
      throw new StoreFileException(events.path(), -1, e.getMessage() + ". " + StoreFiles.RESTORE, e);
    }
  }

  /** The live event counting {@code requestId}, or null. */
  private Counted counted(String requestId, RequestKey key) {
    Recent recent = tailById.get(requestId);
    if (recent != null) {
      // an older record of the id was superseded when this one came, or was already dead
      return isDead(recent) ? null
          : new Counted(recent.seq(), recent.event().totalTokens(), recent.event().timestamp(), recent.event());
    }
    resolve();
    return countedInFile(key);
  }

  /** The generation's live event counting the request id of {@code key}, or null. */
  private Counted countedInFile(RequestKey key) {
    IdIndex.Entry entry = ids.find(key);
    if (entry == null || superseded.contains(entry.seq())) {
      return null;
    }
    Instant at = Instant.ofEpochSecond(entry.second(), entry.nano());
    if (retainedFrom != null && at.isBefore(retainedFrom)) {
      return null;
    }
    if (!resets.isEmpty()) {
      StoredEvent stored = events.find(entry.seq());
      if (stored == null || killedByReset(stored)) {
        return null;
      }
    }
    return new Counted(entry.seq(), entry.total(), at, null);
  }

  /**
   * Looks up the ids of the replayed events deferred by {@link #replay}: each that counted an event
   * of the generation replaced it. Deciding this later than the replay gives the same ledger: such an
   * event could only be replaced by a record of the same id (which finds the replayed one first), and
   * resets and retention only ever kill more events, so one found dead now is dead either way.
   */
  private void resolve() {
    if (unresolved.isEmpty()) {
      return;
    }
    List<Recent> pending = new ArrayList<>(unresolved);
    unresolved.clear();
    for (Recent n : pending) {
      Counted counted = countedInFile(n.key());
      if (counted == null) {
        continue;
      }
      if (RequestRule.decide(counted.total(), n.event()) != RequestRule.Decision.REPLACE) {
        throw new StoreFileException(ids.path(), -1, "counts request id of event " + counted.seq() + " with "
            + counted.total() + " tokens, which the journal's event " + n.seq() + " (" + n.event().totalTokens()
            + " tokens) cannot replace: the journal does not belong on top of this generation. " + StoreFiles.RESTORE);
      }
      superseded.add(counted.seq());
    }
  }

  /** Applies a reset: the events {@code window} charges leave the ledger. */
  void reset(BudgetWindow window) {
    resets.add(new Reset(window, nextSeq));
    windows.reset(window.key(), window.start(), window.end());
  }

  /** Applies a retention cutoff; false if it is not after the current one. */
  boolean dropBefore(Instant cutoff) {
    if (retainedFrom != null && !cutoff.isAfter(retainedFrom)) {
      return false;
    }
    retainedFrom = cutoff;
    return true;
  }

  /** Replays a journaled record of events: every one must change the ledger again, as it did live. */
  void replay(List<Numbered> recorded) throws FormatProblem {
    for (Numbered n : recorded) {
      if (n.seq() != nextSeq) {
        throw new FormatProblem("event " + n.seq() + " where " + nextSeq + " comes next");
      }
      Outcome outcome = replayOne(n.event());
      if (outcome == Outcome.DUPLICATE || outcome == Outcome.BEFORE_RETENTION) {
        throw new FormatProblem("event " + n.seq() + " replays as " + outcome);
      }
    }
  }

  /**
   * {@link #record} without the generation's id index: an id the tail does not hold yet is looked up
   * there later ({@link #resolve()}), so the replay neither hashes its ids nor reads index blocks.
   */
  private Outcome replayOne(TokenUsageEvent event) {
    String id = event.requestId();
    if (id == null || tailById.containsKey(id)) {
      return record(event, null); // decided by the tail alone
    }
    if (retainedFrom != null && event.timestamp().isBefore(retainedFrom)) {
      return Outcome.BEFORE_RETENTION;
    }
    Recent added = new Recent(nextSeq++, event, null);
    tail.add(added);
    tailBySeq.put(added.seq(), added);
    tailById.put(id, added);
    if (ids.entries() > 0) {
      unresolved.add(added);
    }
    return Outcome.RECORDED;
  }

  // ---------------------------------------------------------------------------------------------
  // Which events count

  private boolean isDead(Recent n) {
    TokenUsageEvent e = n.event();
    if (superseded.contains(n.seq()) || (retainedFrom != null && e.timestamp().isBefore(retainedFrom))) {
      return true;
    }
    for (Reset r : resets) {
      if (n.seq() < r.before() && r.window().charges(e)) {
        return true;
      }
    }
    return false;
  }

  /** Whether an event of the generation's file no longer counts. */
  boolean isDead(StoredEvent s) {
    resolve();
    if ((!superseded.isEmpty() && superseded.contains(s.seq)) || (retainedFrom != null && s.isBefore(retainedFrom))) {
      return true;
    }
    return !resets.isEmpty() && killedByReset(s);
  }

  private boolean killedByReset(StoredEvent s) {
    for (Reset r : resets) {
      if (s.chargedTo(r.window())) { // every event of the file precedes every reset since
        return true;
      }
    }
    return false;
  }

  /** The sequence numbers of the generation's events replaced since, ascending. */
  long[] supersededSorted() {
    resolve();
    return superseded.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /**
   * Whether a block of the generation's file with these sequence numbers and time span may hold a
   * dead event ({@code superseded} from {@link #supersededSorted()}); if not, compaction copies it
   * whole.
   */
  boolean mayHoldDead(long firstSeq, long lastSeq, long minSecond, long maxSecond, long[] superseded) {
    if (retainedFrom != null && minSecond <= retainedFrom.getEpochSecond()) {
      return true;
    }
    int at = java.util.Arrays.binarySearch(superseded, firstSeq);
    int next = at >= 0 ? at : -at - 1;
    if (next < superseded.length && superseded[next] <= lastSeq) {
      return true;
    }
    for (Reset r : resets) {
      if (r.window().overlaps(Instant.ofEpochSecond(minSecond), Instant.ofEpochSecond(maxSecond + 1))) {
        return true;
      }
    }
    return false;
  }

  /** The live events recorded since the generation's files were written, in order. */
  List<Recent> liveTail() {
    List<Recent> live = new ArrayList<>(tail.size());
    for (Recent n : tail) {
      if (!isDead(n)) {
        live.add(n);
      }
    }
    return live;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** Feeds every live event in {@code query}'s range to {@code aggregator}. */
  void aggregate(UsageQuery query, UsageAggregator aggregator) {
    events.scan(query.from(), query.until(), (s, raw, from, to) -> {
      if (!isDead(s)) {
        aggregator.offer(s.timestamp(), s.model, s.project, s.session, s.tags, s.counts());
      }
    });
    for (Recent n : tail) {
      if (!isDead(n)) {
        aggregator.offer(n.event());
      }
    }
  }

  /** The ledger's figure for {@code window}: the sum of the live events it charges. */
  Counts scan(BudgetWindow window) {
    UsageAggregator aggregator = new UsageAggregator(window.query());
    aggregate(window.query(), aggregator);
    return aggregator.rows().isEmpty() ? Counts.ZERO : aggregator.rows().get(0).counts();
  }

  /** The live event numbered {@code seq}: from the tail when it is there, else read from its file. */
  TokenUsageEvent event(long seq) {
    Recent recent = tailBySeq.get(seq);
    if (recent != null) {
      return recent.event();
    }
    StoredEvent stored = events.find(seq);
    try {
      if (stored == null) {
        throw new FormatProblem("event " + seq + " vanished between two reads");
      }
      return stored.toEvent();
    } catch (FormatProblem e) {
      throw new StoreFileException(events.path(), -1, e.getMessage() + ". " + StoreFiles.RESTORE, e);
    }
  }

  /** Reads (so checks) every block of the events file and the id index; throws naming the first damaged one. */
  void readEveryBlock() {
    events.scan((min, max) -> true, false, (s, raw, from, to) -> {});
    IdIndex.Cursor cursor = ids.cursor();
    while (cursor.advance()) {
      // each block's CRC is checked as the cursor reads it
    }
  }

  @Override
  public void close() throws IOException {
    try {
      events.close();
    } finally {
      ids.close();
    }
  }
}
