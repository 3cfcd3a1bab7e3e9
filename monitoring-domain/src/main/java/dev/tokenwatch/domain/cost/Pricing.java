package dev.tokenwatch.domain.cost;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;

/**
 * Prices events with a price table: the cost of one event is computed exactly (in whole
 * pico-dollars where the prices allow, else with {@link BigDecimal}) and rounded once, half-even, to
 * a whole nano-dollar. The prices are those in effect at
 * the event's timestamp.
 *
 * <p>An event's {@code inputTokens} never include its cache tokens (events keep cache reads and
 * writes apart), so each kind is charged its own price; {@code totalTokens} is not used. Cache
 * creation tokens are charged as five-minute writes unless told otherwise.
 */
public final class Pricing {

  private final PriceTable table;
  /**
   * Each model name's match, looked up once: a lookup tries several normalisations, and a tracker
   * prices every event it records.
   */
  private final ConcurrentHashMap<String, Optional<Priced>> matches = new ConcurrentHashMap<>();

  /** A model's match and its prices as integers. */
  private record Priced(PriceMatch match, ExactRates rates) {}

  /** Looks a model up the first time it is priced; one function, not a lambda per call. */
  private final java.util.function.Function<String, Optional<Priced>> lookup;

  public Pricing(PriceTable table) {
    this.table = Objects.requireNonNull(table, "table");
    this.lookup = model -> table.lookup(model).map(m -> new Priced(m, new ExactRates(m.price())));
  }

  /**
   * {@code event} with its cost: as it is if it has one, else priced (five-minute cache writes), or
   * as it is (without a cost: unpriced) if its model has no price.
   */
  public TokenUsageEvent price(TokenUsageEvent event) {
    if (event.hasCost()) {
      return event;
    }
    Cost cost = costOf(event);
    return cost.pricedCalls() == 1 ? event.withCost(cost.nanoUsd()) : event;
  }

  /** The table prices come from. */
  public PriceTable table() {
    return table;
  }

  /** The cost of {@code event}, cache writes as five-minute writes; {@link Cost#UNPRICED} if unpriced. */
  public Cost costOf(TokenUsageEvent event) {
    return costOf(event, CacheWrites.FIVE_MINUTES);
  }

  /** The cost of {@code event} with cache writes of the given duration; {@link Cost#UNPRICED} if unpriced. */
  public Cost costOf(TokenUsageEvent event, CacheWrites cacheWrites) {
    Optional<Priced> priced = matches.get(event.model());
    if (priced == null) {
      priced = matches.computeIfAbsent(event.model(), lookup);
    }
    if (priced.isEmpty()) {
      return Cost.UNPRICED;
    }
    ExactRates rates = priced.get().rates();
    int period = rates.periodAt(event.timestamp());
    long pico = rates.picoUsd(period, event, cacheWrites);
    if (pico != ExactRates.NOT_EXACT) {
      return Cost.ofCall(ExactRates.roundedNanoUsd(pico));
    }
    Prices prices = rates.prices(period);
    return Cost.ofCall(roundedNanoUsd(prices.nanoUsd(event.inputTokens(), event.outputTokens(),
        event.cacheCreationTokens(), cacheWrites, event.cacheReadTokens())));
  }

  /**
   * Exact nano-dollars rounded half-even to a whole nano-dollar.
   *
   * @throws ArithmeticException if the result does not fit a long
   */
  static long roundedNanoUsd(BigDecimal nanoUsd) {
    return nanoUsd.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
  }
}
