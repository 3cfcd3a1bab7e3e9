package dev.tokenwatch.domain.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One group of a query's answer.
 *
 * @param start start of the row's time unit, or {@code null} when the query is not grouped by time
 * @param keys the values of the query's dimensions, in the query's order; an element is {@code null}
 *     for events without that dimension (no project, no such tag)
 * @param counts the group's totals
 */
public record UsageRow(Instant start, List<String> keys, Counts counts) {

  public UsageRow {
    keys = Collections.unmodifiableList(new ArrayList<>(keys));
    Objects.requireNonNull(counts, "counts");
  }

  /** The value of the {@code i}-th dimension. */
  public String key(int i) {
    return keys.get(i);
  }
}
