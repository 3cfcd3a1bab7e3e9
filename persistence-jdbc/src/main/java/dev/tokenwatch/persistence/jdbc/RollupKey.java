package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;

/**
 * A rollup row's identity (its 15-minute bucket and the key of its dimensions) and its dimensions;
 * equal and ordered by bucket and key alone, the order rows are locked in.
 */
record RollupKey(long bucket, DimensionsKey dimensions, String model, String project, String session, String tags)
    implements Comparable<RollupKey> {

  /** The row {@code e} is summed into. */
  static RollupKey of(TokenUsageEvent e) {
    String tags = TagText.of(e.tags());
    return new RollupKey(LedgerTime.bucket(e.timestamp()), DimensionsKey.of(e.model(), e.project(), e.session(), tags),
        e.model(), e.project(), e.session(), tags);
  }

  @Override
  public int compareTo(RollupKey other) {
    int c = Long.compare(bucket, other.bucket);
    return c != 0 ? c : dimensions.compareTo(other.dimensions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RollupKey k && k.bucket == bucket && k.dimensions.equals(dimensions);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(bucket) * 31 + dimensions.hashCode();
  }
}
