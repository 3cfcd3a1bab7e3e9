package dev.tokenwatch.domain.port;

import dev.tokenwatch.domain.ledger.Counts;
import java.util.List;

/**
 * What {@link UsageStore#record} did with a batch.
 *
 * @param recorded events counted for the first time
 * @param replaced events that replaced an earlier, smaller record with the same request id
 * @param duplicates events dropped because their request id was already counted with a total at
 *     least as large
 * @param beforeRetention events dropped because they lie before the store's retained range
 * @param windowTotals the totals of each budget window passed in, after the batch, in their order
 * @param windowDeltas what the batch changed in each window (negative parts where a replaced event
 *     left it), in their order
 */
public record RecordResult(int recorded, int replaced, int duplicates, int beforeRetention,
    List<Counts> windowTotals, List<Counts> windowDeltas) {

  public RecordResult {
    windowTotals = List.copyOf(windowTotals);
    windowDeltas = List.copyOf(windowDeltas);
    if (windowTotals.size() != windowDeltas.size()) {
      throw new IllegalArgumentException(
          "one delta per window: " + windowTotals.size() + " totals, " + windowDeltas.size() + " deltas");
    }
  }
}
