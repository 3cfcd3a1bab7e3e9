package dev.tokenwatch.domain;

import dev.tokenwatch.domain.cost.Pricing;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.reservation.Hold;
import dev.tokenwatch.domain.reservation.HoldState;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns an estimate into a reservation request over the hard budgets it falls under, and a refusal
 * into a {@link BudgetExceededException}.
 */
final class HardLimits {

  private final List<TokenBudget> budgets;
  private final Duration timeout;
  private final Pricing pricing;
  /** The hard budgets in the tracker's order and their names, shared by the requests holding in all of them. */
  private final List<TokenBudget> hard;
  private final List<String> hardNames;
  /** Whether an estimate needs its cost: only a budget in USD holds one. */
  private final boolean anyInUsd;
  /** Random per tracker (72 bits, URL-safe Base64), so ids of several processes never meet; a counter after it. */
  private final String idPrefix;
  private final AtomicLong sequence = new AtomicLong();

  HardLimits(List<TokenBudget> budgets, Duration timeout, Pricing pricing) {
    this.budgets = budgets;
    this.timeout = timeout;
    this.pricing = pricing;
    this.hard = budgets.stream().filter(TokenBudget::hard).toList();
    this.hardNames = hard.stream().map(TokenBudget::name).toList();
    this.anyInUsd = hard.stream().anyMatch(b -> b.unit() == BudgetUnit.USD);
    byte[] random = new byte[9];
    new SecureRandom().nextBytes(random);
    this.idPrefix = "r" + Base64.getUrlEncoder().withoutPadding().encodeToString(random) + ".";
  }

  /**
   * The holds of {@code estimate} (priced here if a budget in USD may hold it) in the budgets' current
   * {@code windows}, at {@code now}.
   */
  Request request(TokenUsageEvent estimate, List<BudgetWindow> windows, Instant now) {
    String id = idPrefix + sequence.incrementAndGet(); // a long concatenated is written in place: one string
    Instant expiresAt = now.plus(timeout);
    if (hard.isEmpty()) {
      return new Request(new ReservationRequest(id, expiresAt, List.of()), List.of(), List.of());
    }
    TokenUsageEvent priced = anyInUsd ? pricing.price(estimate) : estimate;
    Counts counts = Counts.of(priced);
    Hold[] holds = new Hold[hard.size()];
    List<TokenBudget> held = null; // while every hard budget so far holds: those of `hard`
    int n = 0;
    for (int i = 0; i < budgets.size(); i++) {
      TokenBudget budget = budgets.get(i);
      if (!budget.hard()) {
        continue;
      }
      if (!budget.scope().matches(priced)) {
        held = held == null ? new ArrayList<>(hard.subList(0, n)) : held;
        continue;
      }
      if (budget.unit() == BudgetUnit.USD && !priced.hasCost()) {
        throw new IllegalArgumentException("model '" + priced.model() + "' has no price, so the estimate cannot "
            + "be charged to hard budget '" + budget.name() + "' (in USD); give the model a price (prices:)");
      }
      holds[n++] = new Hold(windows.get(i), budget.unit(), budget.limit(), budget.measure(counts));
      if (held != null) {
        held.add(budget);
      }
    }
    List<Hold> holdList = n == 0 ? List.of() : n == 1 ? List.of(holds[0])
        : List.of(n == holds.length ? holds : Arrays.copyOf(holds, n));
    if (held == null) {
      return new Request(new ReservationRequest(id, expiresAt, holdList), hard, hardNames);
    }
    return new Request(new ReservationRequest(id, expiresAt, holdList), List.copyOf(held),
        held.stream().map(TokenBudget::name).toList());
  }

  /** A request, the budgets of its holds and their names, in order. */
  record Request(ReservationRequest request, List<TokenBudget> budgets, List<String> names) {

    /** Throws the refusal of {@code outcome}, if it is one. */
    void requireGranted(ReserveOutcome outcome) {
      if (!outcome.granted()) {
        int refused = outcome.refused();
        HoldState state = outcome.states().get(refused);
        throw new BudgetExceededException(budgets.get(refused), state.used(), state.reserved(),
            request.holds().get(refused).amount());
      }
    }
  }
}
