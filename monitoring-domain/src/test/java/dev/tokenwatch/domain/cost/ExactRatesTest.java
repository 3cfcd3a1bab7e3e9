package dev.tokenwatch.domain.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Integer pricing gives exactly what the BigDecimal computation gives, for every model of the table. */
class ExactRatesTest {

  private static final List<Instant> TIMES = List.of(Instant.parse("2024-01-01T00:00:00Z"),
      Instant.parse("2025-06-01T12:00:00Z"), Instant.parse("2026-03-13T00:00:00Z"), Instant.parse("2026-11-30T23:59:59Z"));

  @Test
  void everyModelOfTheBuiltInTableIsPricedAsTheBigDecimalComputationPricesIt() {
    PriceTable table = PriceTable.builtIn();
    Pricing pricing = new Pricing(table);
    Random random = new Random(42);
    int compared = 0;
    for (ModelPrice model : table.models()) {
      for (int i = 0; i < 40; i++) {
        // prompts around the tiers (128k, 200k) and far beyond, and small ones
        long scale = i % 4 == 0 ? 1_000 : i % 4 == 1 ? 150_000 : i % 4 == 2 ? 300_000 : 5_000_000;
        TokenUsageEvent event = TokenUsageEvent.builder(model.model())
            .inputTokens(random.nextInt((int) scale)).outputTokens(random.nextInt(50_000))
            .cacheCreationTokens(i % 3 == 0 ? 0 : random.nextInt((int) scale))
            .cacheReadTokens(i % 5 == 0 ? 0 : random.nextInt((int) scale))
            .timestamp(TIMES.get(i % TIMES.size())).build();
        for (CacheWrites writes : CacheWrites.values()) {
          Prices prices = model.at(event.timestamp());
          long expected = Pricing.roundedNanoUsd(prices.nanoUsd(event.inputTokens(), event.outputTokens(),
              event.cacheCreationTokens(), writes, event.cacheReadTokens()));
          assertThat(pricing.costOf(event, writes).nanoUsd()).as(model.model() + " " + event).isEqualTo(expected);
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThan(20_000);
  }

  @Test
  void halfAPicoThousandRoundsToEven() {
    assertThat(ExactRates.roundedNanoUsd(1_500)).isEqualTo(2);
    assertThat(ExactRates.roundedNanoUsd(2_500)).isEqualTo(2);
    assertThat(ExactRates.roundedNanoUsd(2_501)).isEqualTo(3);
    assertThat(ExactRates.roundedNanoUsd(2_499)).isEqualTo(2);
    assertThat(ExactRates.roundedNanoUsd(0)).isZero();
  }
}
