package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.app.view.Format;
import dev.tokenwatch.domain.BudgetCharge;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackResult;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's "Embedding" example of several budgets, kept compiling and true. Keep the two in step. */
class EmbeddingBudgetsExampleTest {

  @Test
  void readmeExampleOfSeveralBudgets() {
    List<String> printed = new ArrayList<>();
    List<String> alerts = new ArrayList<>();
    // --- README: Embedding, several budgets ---
    TokenTracker tracker = TokenTracker.builder(List.of(
            TokenBudget.builder().name("org-month").limitUsd(new BigDecimal("2000")).build(),
            TokenBudget.builder().name("search").limitUsd(new BigDecimal("400"))
                .scope(UsageFilter.ANY.withTag("team", "search")).build(),
            TokenBudget.builder().name("opus").limit(20_000_000).period(BudgetPeriod.WEEKLY)
                .scope(UsageFilter.models("claude-opus-*")).build()))
        .store(new InMemoryUsageStore())
        .prices(PriceTable.builtIn())        // the default: events without a cost are priced from it
        .sink(alert -> alerts.add(alert.message()))
        .build();

    TrackResult result = tracker.track(TokenUsageEvent.builder("claude-opus-4-1")
        .inputTokens(100_000)
        .outputTokens(1_000_000)
        .tag("team", "search")
        .timestamp(Instant.now())
        .build());
    for (BudgetCharge charge : result.budgets()) {
      printed.add(charge.budget().name() + ": " + charge.usage().usedOfLimit());
    } // org-month: $76.50 of $2,000.00, search: $76.50 of $400.00, opus: 1,100,000 of 20,000,000 tokens
    Usage search = tracker.budget("search").getUsage(); // 19.1% of $400.00
    // --- end ---
    assertThat(printed).containsExactly("org-month: $76.50 of $2,000.00", "search: $76.50 of $400.00",
        "opus: 1,100,000 of 20,000,000 tokens");
    assertThat(search.used()).isEqualTo(76_500_000_000L);
    assertThat(Format.percent(search.percentage())).isEqualTo("19.1%");
    assertThat(alerts).isEmpty();
  }
}
