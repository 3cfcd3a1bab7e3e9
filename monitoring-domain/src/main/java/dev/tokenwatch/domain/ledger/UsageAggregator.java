package dev.tokenwatch.domain.ledger;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers a {@link UsageQuery} from the events (or pre-summed groups) a store passes in: the one
 * place where rows are cut, summed and ordered, so every store that scans gives the same answer.
 * Not thread-safe; one aggregator per query.
 */
public final class UsageAggregator {

  private static final Comparator<String> KEY_ORDER = Comparator.nullsLast(Comparator.naturalOrder());

  private final UsageQuery query;
  private final Map<GroupKey, long[]> groups = new HashMap<>();
  /** The time unit found last, since consecutive events nearly always fall into the same one. */
  private Instant unitStart;
  private Instant unitEnd;

  /** An aggregator for {@code query}. */
  public UsageAggregator(UsageQuery query) {
    this.query = query;
  }

  /** Adds {@code event} if it lies in the query's range and passes its filter. */
  public void offer(TokenUsageEvent event) {
    offer(event.timestamp(), event.model(), event.project(), event.session(), event.tags(), Counts.of(event));
  }

  /** Adds these counts if {@code at} lies in the query's range and the dimensions pass its filter. */
  public void offer(Instant at, String model, String project, String session, Map<String, String> tags,
      Counts counts) {
    if (query.covers(at) && query.filter().matches(model, project, session, tags)) {
      add(at, model, project, session, tags, counts);
    }
  }

  /**
   * Adds counts that the caller knows to lie in the range and to pass the filter (a pre-summed group
   * whose time span falls inside one of the query's units and inside its range).
   */
  public void add(Instant at, String model, String project, String session, Map<String, String> tags,
      Counts counts) {
    List<Dimension> dimensions = query.groupBy();
    String[] keys = new String[dimensions.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = dimensions.get(i).valueOf(model, project, session, tags);
    }
    long[] sums = groups.computeIfAbsent(new GroupKey(unitOf(at), keys), k -> new long[9]);
    // exact: a group's sum throws rather than wraps, as Counts.plus does
    sums[0] = Math.addExact(sums[0], counts.inputTokens());
    sums[1] = Math.addExact(sums[1], counts.outputTokens());
    sums[2] = Math.addExact(sums[2], counts.cacheCreationTokens());
    sums[3] = Math.addExact(sums[3], counts.cacheReadTokens());
    sums[4] = Math.addExact(sums[4], counts.totalTokens());
    sums[5] = Math.addExact(sums[5], counts.calls());
    sums[6] = Math.addExact(sums[6], counts.costNanoUsd());
    sums[7] = Math.addExact(sums[7], counts.unpricedCalls());
    sums[8] = Math.addExact(sums[8], counts.unpricedTokens());
  }

  private Instant unitOf(Instant at) {
    TimeGrain grain = query.grain();
    if (grain == null) {
      return null;
    }
    if (unitStart == null || at.isBefore(unitStart) || !at.isBefore(unitEnd)) {
      ZonedDateTime start = grain.startOf(at, query.zone());
      unitStart = start.toInstant();
      unitEnd = grain.endOf(start).toInstant();
    }
    return unitStart;
  }

  /** The rows: groups with at least one call, ordered by time, total (largest first) and keys. */
  public List<UsageRow> rows() {
    List<UsageRow> rows = new ArrayList<>(groups.size());
    for (Map.Entry<GroupKey, long[]> group : groups.entrySet()) {
      long[] s = group.getValue();
      if (s[5] != 0) {
        rows.add(new UsageRow(group.getKey().start, Arrays.asList(group.getKey().keys),
            new Counts(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8])));
      }
    }
    rows.sort(ROW_ORDER);
    return rows;
  }

  /** The order of an answer's rows. */
  public static final Comparator<UsageRow> ROW_ORDER = Comparator
      .comparing(UsageRow::start, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(r -> r.counts().totalTokens(), Comparator.reverseOrder())
      .thenComparing(UsageAggregator::compareKeys);

  private static int compareKeys(UsageRow a, UsageRow b) {
    for (int i = 0; i < a.keys().size(); i++) {
      int c = KEY_ORDER.compare(a.key(i), b.key(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private record GroupKey(Instant start, String[] keys) {
    @Override
    public boolean equals(Object o) {
      return o instanceof GroupKey other && java.util.Objects.equals(start, other.start)
          && Arrays.equals(keys, other.keys);
    }

    @Override
    public int hashCode() {
      return 31 * java.util.Objects.hashCode(start) + Arrays.hashCode(keys);
    }
  }
}
