package dev.tokenwatch.domain;

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
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns an estimate into a reservation request over the hard budgets it falls under, and a refusal
 * into a {@link BudgetExceededException}.
 */
final class HardLimits {

  private final List<TokenBudget> budgets;
  private final Duration timeout;
  private final boolean any;
  /** Random per tracker, so ids of several processes never meet; a counter within it. */
  private final String idPrefix;
  private final AtomicLong sequence = new AtomicLong();

  HardLimits(List<TokenBudget> budgets, Duration timeout) {
    this.budgets = budgets;
    this.timeout = timeout;
    this.any = budgets.stream().anyMatch(TokenBudget::hard);
    byte[] random = new byte[9];
    new SecureRandom().nextBytes(random);
    this.idPrefix = "r" + HexFormat.of().formatHex(random) + "-";
  }

  /** The holds of a priced {@code estimate} in the budgets' current {@code windows}, at {@code now}. */
  Request request(TokenUsageEvent estimate, List<BudgetWindow> windows, Instant now) {
    List<Hold> holds = any ? new ArrayList<>(2) : List.of();
    List<TokenBudget> held = any ? new ArrayList<>(2) : List.of();
    Counts counts = any ? Counts.of(estimate) : null;
    for (int i = 0; any && i < budgets.size(); i++) {
      TokenBudget budget = budgets.get(i);
      if (budget.hard() && budget.scope().matches(estimate)) {
        if (budget.unit() == BudgetUnit.USD && !estimate.hasCost()) {
          throw new IllegalArgumentException("model '" + estimate.model() + "' has no price, so the estimate cannot "
              + "be charged to hard budget '" + budget.name() + "' (in USD); give the model a price (prices:)");
        }
        holds.add(new Hold(windows.get(i), budget.unit(), budget.limit(), budget.measure(counts)));
        held.add(budget);
      }
    }
    String id = idPrefix + Long.toString(sequence.incrementAndGet(), 36);
    return new Request(new ReservationRequest(id, now.plus(timeout), holds), held);
  }

  /** A request and the budgets of its holds, in order. */
  record Request(ReservationRequest request, List<TokenBudget> budgets) {

    /** The names of the budgets held. */
    List<String> names() {
      if (budgets.isEmpty()) {
        return List.of();
      }
      String[] names = new String[budgets.size()];
      for (int i = 0; i < names.length; i++) {
        names[i] = budgets.get(i).name();
      }
      return List.of(names);
    }

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
