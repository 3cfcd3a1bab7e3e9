package dev.tokenwatch.domain.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.cost.Cost;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.cost.Pricing;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The README's "Prices and cost" example, kept compiling and true. Keep the two in step. */
class PricingExampleTest {

  @Test
  void readmeExample() {
    // --- README: Prices and cost ---
    Pricing pricing = new Pricing(PriceTable.builtIn());
    TokenUsageEvent event = TokenUsageEvent.builder("claude-sonnet-4-5-20250929")
        .inputTokens(150_000).cacheCreationTokens(50_000).cacheReadTokens(50_000).outputTokens(1_000)
        .timestamp(Instant.parse("2026-11-16T12:00:00Z"))
        .build();
    Cost cost = pricing.costOf(event);
    assertThat(cost.nanoUsd()).isEqualTo(1_327_500_000L);
    assertThat(cost.usd()).isEqualTo(new BigDecimal("1.327500000"));

    Cost unknown = pricing.costOf(TokenUsageEvent.builder("my-llama").inputTokens(10)
        .timestamp(Instant.parse("2026-11-16T12:00:00Z")).build());
    assertThat(unknown).isEqualTo(Cost.UNPRICED);
    Cost total = cost.plus(unknown);
    assertThat(total).isEqualTo(new Cost(1_327_500_000L, 1, 1));
  }
}
