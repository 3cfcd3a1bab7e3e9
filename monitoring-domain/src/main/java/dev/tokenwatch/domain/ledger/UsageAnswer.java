package dev.tokenwatch.domain.ledger;

import java.time.Instant;
import java.util.List;

/**
 * A query's rows, ordered by time, then by total tokens (largest first), then by their keys.
 *
 * @param rows the groups with usage
 * @param retainedFrom where the store's retained data begins, or {@code null} if it keeps everything
 * @param reachesBeforeRetained whether the query asked for time before {@code retainedFrom}, so its
 *     figures leave out usage that was dropped by retention
 */
public record UsageAnswer(List<UsageRow> rows, Instant retainedFrom, boolean reachesBeforeRetained) {

  public UsageAnswer {
    rows = List.copyOf(rows);
  }

  /** The sum of every row. */
  public Counts total() {
    Counts sum = Counts.ZERO;
    for (UsageRow row : rows) {
      sum = sum.plus(row.counts());
    }
    return sum;
  }
}
