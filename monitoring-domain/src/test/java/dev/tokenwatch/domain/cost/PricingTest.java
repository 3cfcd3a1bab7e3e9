package dev.tokenwatch.domain.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every price component, tiers, periods and rounding, on hand-computed examples. */
class PricingTest {

  private static final Instant BEFORE = Instant.parse("2026-03-12T23:59:59Z");
  private static final Instant AFTER = Instant.parse("2026-03-13T00:00:00Z");

  /** claude-sonnet-4-5 and claude-sonnet-4-6 as the built-in table has them, and a few test models. */
  private static final PriceTable TABLE = PriceTable.parse("""
      # source: test
      # date: 2026-09-23
      anthropic\tclaude-sonnet-4-5\t-\t3;>200000=6\t15;>200000=22.5\t3.75;>200000=7.5\t6;>200000=12\t0.3;>200000=0.6\t-
      anthropic\tclaude-sonnet-4-6\t-\t3;>200000=6\t15;>200000=22.5\t3.75;>200000=7.5\t6;>200000=12\t0.3;>200000=0.6\t-
      anthropic\tclaude-sonnet-4-6\t2026-03-13\t3\t15\t3.75\t6\t0.3\t-
      openai\tgpt-4o\t-\t2.5\t10\t-\t-\t1.25\t-
      -\tno-cache-read\t-\t2\t8\t2.5\t-\t-\t-
      -\tembedding\t-\t0.02\t-\t-\t-\t-\t-
      -\ttiny\t-\t0.0025\t0.0005\t-\t-\t0.0005\t-
      -\tstepped\t-\t1;>1000=2;>2000=3\t1\t-\t-\t-\t-
      """, "test.tsv");

  private static final Pricing PRICING = new Pricing(TABLE);

  private static TokenUsageEvent event(String model, long input, long output, long cacheWrite, long cacheRead,
      Instant at) {
    return TokenUsageEvent.builder(model).inputTokens(input).outputTokens(output).cacheCreationTokens(cacheWrite)
        .cacheReadTokens(cacheRead).timestamp(at).build();
  }

  private static long nanos(String model, long input, long output, long cacheWrite, long cacheRead) {
    Cost cost = PRICING.costOf(event(model, input, output, cacheWrite, cacheRead, AFTER));
    assertThat(cost.pricedCalls()).isEqualTo(1);
    assertThat(cost.unpricedCalls()).isZero();
    return cost.nanoUsd();
  }

  @Test
  void eachComponentAtItsOwnPrice() {
    // 1,000,000 tokens of a kind cost its price in USD: 10^9 nano-dollars per USD.
    // 100,000 input tokens x 3 USD per million = 0.3 USD (a prompt of 1,000,000 would be above the tier)
    assertThat(nanos("claude-sonnet-4-5", 100_000, 0, 0, 0)).isEqualTo(300_000_000L);
    assertThat(nanos("claude-sonnet-4-5", 0, 1_000_000, 0, 0)).isEqualTo(15_000_000_000L);
    assertThat(nanos("claude-sonnet-4-5", 0, 0, 100_000, 0)).isEqualTo(375_000_000L); // 0.1 M x 3.75
    assertThat(nanos("claude-sonnet-4-5", 0, 0, 0, 100_000)).isEqualTo(30_000_000L); // 0.1 M x 0.3
  }

  @Test
  void aMixedCallBelowTheTier() {
    // prompt 100,000 + 10,000 + 50,000 = 160,000 <= 200,000: base prices
    // 100,000 x 3 + 2,000 x 15 + 10,000 x 3.75 + 50,000 x 0.3 = 382,500 micro-dollars = 0.3825 USD
    assertThat(nanos("claude-sonnet-4-5", 100_000, 2_000, 10_000, 50_000)).isEqualTo(382_500_000L);
  }

  @Test
  void oneHourCacheWrites() {
    // 10,000 one-hour writes at 6 instead of 3.75: 382,500 - 37,500 + 60,000 = 405,000 micro-dollars
    Cost cost = PRICING.costOf(event("claude-sonnet-4-5", 100_000, 2_000, 10_000, 50_000, AFTER),
        CacheWrites.ONE_HOUR);
    assertThat(cost.nanoUsd()).isEqualTo(405_000_000L);
  }

  @Test
  void aPromptAbove200000TokensPaysTheTierOnEveryComponent() {
    // prompt 150,000 + 50,000 + 50,000 = 250,000 > 200,000: every token at the tier's price
    // 150,000 x 6 + 1,000 x 22.5 + 50,000 x 7.5 + 50,000 x 0.6 = 900,000 + 22,500 + 375,000 + 30,000
    assertThat(nanos("claude-sonnet-4-5", 150_000, 1_000, 50_000, 50_000)).isEqualTo(1_327_500_000L);
    Cost oneHour = PRICING.costOf(event("claude-sonnet-4-5", 150_000, 1_000, 50_000, 50_000, AFTER),
        CacheWrites.ONE_HOUR);
    // 50,000 one-hour writes at 12: 900,000 + 22,500 + 600,000 + 30,000
    assertThat(oneHour.nanoUsd()).isEqualTo(1_552_500_000L);
  }

  @Test
  void theTierIsACliffAboveNotAtTheThreshold() {
    assertThat(nanos("claude-sonnet-4-5", 200_000, 0, 0, 0)).isEqualTo(600_000_000L); // 200,000 x 3
    assertThat(nanos("claude-sonnet-4-5", 200_001, 0, 0, 0)).isEqualTo(1_200_006_000L); // 200,001 x 6
    // output does not count towards the prompt
    assertThat(nanos("claude-sonnet-4-5", 200_000, 500_000, 0, 0)).isEqualTo(600_000_000L + 7_500_000_000L);
    // cache reads do
    assertThat(nanos("claude-sonnet-4-5", 199_999, 0, 0, 2)).isEqualTo(199_999L * 6_000 + 2 * 600);
  }

  @Test
  void ofSeveralTiersTheHighestExceededApplies() {
    assertThat(nanos("stepped", 1_000, 0, 0, 0)).isEqualTo(1_000_000L);
    assertThat(nanos("stepped", 1_001, 0, 0, 0)).isEqualTo(2_002_000L);
    assertThat(nanos("stepped", 2_001, 0, 0, 0)).isEqualTo(6_003_000L);
  }

  @Test
  void pricesInEffectAtTheEventsTimestamp() {
    // claude-sonnet-4-6 dropped its long-context tier on 2026-03-13 (UTC)
    TokenUsageEvent before = event("claude-sonnet-4-6", 250_000, 0, 0, 0, BEFORE);
    TokenUsageEvent after = event("claude-sonnet-4-6", 250_000, 0, 0, 0, AFTER);
    assertThat(PRICING.costOf(before).nanoUsd()).isEqualTo(1_500_000_000L); // 250,000 x 6
    assertThat(PRICING.costOf(after).nanoUsd()).isEqualTo(750_000_000L); // 250,000 x 3
  }

  @Test
  void missingCachePricesFallBackToTheInputPrice() {
    // gpt-4o has no cache write price: writes at the input price 2.5; reads at 1.25
    assertThat(nanos("gpt-4o", 0, 0, 1_000, 1_000)).isEqualTo(2_500_000L + 1_250_000L);
    // no cache read price: reads at the input price 2; no 1h price: the 5-minute price 2.5
    assertThat(nanos("no-cache-read", 0, 0, 0, 1_000)).isEqualTo(2_000_000L);
    Cost oneHour = PRICING.costOf(event("no-cache-read", 0, 0, 1_000, 0, AFTER), CacheWrites.ONE_HOUR);
    assertThat(oneHour.nanoUsd()).isEqualTo(2_500_000L);
  }

  @Test
  void aMissingOutputPriceChargesNothingForOutput() {
    assertThat(nanos("embedding", 1_000_000, 5, 0, 0)).isEqualTo(20_000_000L);
  }

  @Test
  void roundedOnceHalfEvenToAWholeNanoDollar() {
    // input 0.0025 USD per million tokens = 2.5 nano-dollars per token; output and cache reads 0.5
    assertThat(nanos("tiny", 1, 0, 0, 0)).isEqualTo(2L); // 2.5 -> 2 (half-even)
    assertThat(nanos("tiny", 3, 0, 0, 0)).isEqualTo(8L); // 7.5 -> 8
    assertThat(nanos("tiny", 2, 0, 0, 0)).isEqualTo(5L); // 5.0
    assertThat(nanos("tiny", 0, 1, 0, 0)).isEqualTo(0L); // 0.5 -> 0
    assertThat(nanos("tiny", 0, 3, 0, 0)).isEqualTo(2L); // 1.5 -> 2
    // two parts of 0.5 each make 1: rounded once per event, not per part (which would give 0 + 0)
    assertThat(nanos("tiny", 0, 1, 0, 1)).isEqualTo(1L);
  }

  @Test
  void anUnpricedModelIsCountedNotPricedAtZero() {
    Cost cost = PRICING.costOf(event("my-llama", 1_000, 1_000, 0, 0, AFTER));
    assertThat(cost).isEqualTo(Cost.UNPRICED);
    assertThat(cost.isFullyPriced()).isFalse();
    Cost total = Cost.ZERO.plus(Cost.ofCall(5)).plus(cost);
    assertThat(total).isEqualTo(new Cost(5, 1, 1));
  }

  @Test
  void costsAddExactlyAndAYearOfALargeOrganisationFits() {
    Cost billion = new Cost(1_000_000_000L * Cost.NANOS_PER_USD, 1, 0); // 10^9 USD
    assertThat(billion.plus(billion).usd()).isEqualByComparingTo(new BigDecimal("2000000000"));
    assertThat(Cost.ofCall(1).usd()).isEqualByComparingTo(new BigDecimal("0.000000001"));
    assertThatThrownBy(() -> new Cost(Long.MAX_VALUE, 1, 0).plus(Cost.ofCall(1)))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void ratesAndPricesRejectWhatCannotBeAPrice() {
    assertThatThrownBy(() -> Rate.of("-1")).hasMessageContaining("must not be negative, got -1");
    assertThatThrownBy(() -> new Rate(BigDecimal.ONE, List.of(new Rate.Tier(0, BigDecimal.ONE))))
        .hasMessageContaining("tier threshold must be positive");
    assertThatThrownBy(() -> new Rate(BigDecimal.ONE,
        List.of(new Rate.Tier(5, BigDecimal.ONE), new Rate.Tier(5, BigDecimal.TEN)))).hasMessageContaining("two tiers");
    assertThatThrownBy(() -> new Prices(null, null, Rate.of("1"), null, null))
        .hasMessageContaining("at least an input or an output price");
  }
}
