package dev.tokenwatch.benchmarks.ingest;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.util.List;

/** The budgets the benchmarks track under: limits no benchmark reaches, so the hot path is measured. */
public final class BenchmarkBudgets {

  private BenchmarkBudgets() {}

  /**
   * The first {@code count} (1 to 5) of five budgets that every benchmark event falls under: months,
   * weeks and days, all events or a model glob.
   */
  public static List<TokenBudget> matchingEveryEvent(int count) {
    long quiet = Long.MAX_VALUE / 4;
    List<TokenBudget> all = List.of(
        TokenBudget.builder().name("month").limit(quiet).period(BudgetPeriod.MONTHLY).build(),
        TokenBudget.builder().name("any-model-month").limit(quiet).period(BudgetPeriod.MONTHLY)
            .scope(UsageFilter.models("*")).build(),
        TokenBudget.builder().name("day").limit(quiet).period(BudgetPeriod.DAILY).build(),
        TokenBudget.builder().name("week").limit(quiet).period(BudgetPeriod.WEEKLY).build(),
        TokenBudget.builder().name("any-model-day").limit(quiet).period(BudgetPeriod.DAILY)
            .scope(UsageFilter.models("*")).build());
    if (count < 1 || count > all.size()) {
      throw new IllegalArgumentException("budgets must be 1 to " + all.size() + ", got " + count);
    }
    return all.subList(0, count);
  }
}
