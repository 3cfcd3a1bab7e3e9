package dev.tokenwatch.domain.port;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Totals of one period of one budget, per model (sorted by total tokens, largest first, then by
 * model name).
 */
public record PeriodTotals(Instant periodStart, List<ModelTotals> models) {

  /** Order of {@link #models()}. */
  public static final Comparator<ModelTotals> ORDER =
      Comparator.comparingLong(ModelTotals::totalTokens).reversed().thenComparing(ModelTotals::model);

  public PeriodTotals {
    Objects.requireNonNull(periodStart, "periodStart");
    models = models.stream().sorted(ORDER).toList();
  }

  /** Tokens charged in the period: the sum of the models' totals. */
  public long used() {
    long sum = 0;
    for (ModelTotals m : models) {
      sum += m.totalTokens();
    }
    return sum;
  }

  /** Number of events in the period. */
  public long calls() {
    long sum = 0;
    for (ModelTotals m : models) {
      sum += m.calls();
    }
    return sum;
  }

  /** The totals of the period with no usage. */
  public static PeriodTotals empty(Instant periodStart) {
    return new PeriodTotals(periodStart, List.of());
  }
}
