package dev.tokenwatch.app.view;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TrackedBudget;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.reservation.OpenReservations;
import java.io.IOException;
import java.util.Locale;

/**
 * What {@code status} shows of a budget's hard limit: its mode, what the open reservations hold in
 * the current period, and the overshoot (committed usage above the limit: calls that used more than
 * they reserved). A soft budget holds nothing and has no overshoot; its reservations are not read.
 */
final class HardLimitView {

  /** Why committed usage can pass a hard limit. */
  private static final String WHY = "calls used more than they reserved";

  private final TokenBudget budget;
  private final OpenReservations reserved;
  private final long overshoot;

  private HardLimitView(TokenBudget budget, OpenReservations reserved, long overshoot) {
    this.budget = budget;
    this.reserved = reserved;
    this.overshoot = overshoot;
  }

  /** The hard limit of {@code tracked}, whose current usage is {@code usage}. */
  static HardLimitView of(TrackedBudget tracked, Usage usage) {
    TokenBudget budget = tracked.getBudget();
    if (!budget.hard()) {
      return new HardLimitView(budget, OpenReservations.NONE, 0);
    }
    return new HardLimitView(budget, tracked.getReserved(), Math.max(0, usage.used() - budget.limit()));
  }

  /**
   * The detail lines of a hard budget: its mode, what is reserved ("Reserved 12,000 tokens in 3 open
   * reservations") and any overshoot; "" for a soft budget.
   */
  String detail() {
    if (!budget.hard()) {
      return "";
    }
    StringBuilder s = new StringBuilder("Mode    hard: 'tokenwatch reserve' refuses an estimate that would pass "
        + "the limit\n");
    s.append("Reserved ").append(reserved.count() == 0 ? "nothing" : amount(reserved.amount()) + " in "
        + reserved.count() + " open reservation" + (reserved.count() == 1 ? "" : "s")).append('\n');
    if (overshoot > 0) {
      s.append("Over    the hard limit by ").append(amount(overshoot)).append(": ").append(WHY).append('\n');
    }
    return s.toString();
  }

  /** "; hard, 12,000 tokens reserved" for the overview line; "" for a soft budget. */
  String lineNote() {
    if (!budget.hard()) {
      return "";
    }
    return reserved.count() == 0 ? "; hard" : "; hard, " + amount(reserved.amount()) + " reserved";
  }

  /** "NAME: over its hard limit by ..." below the overview; "" without overshoot. */
  String overviewNote() {
    return overshoot > 0 ? budget.name() + ": over its hard limit by " + amount(overshoot) + ": " + WHY + '\n' : "";
  }

  /** "12,000 tokens" or "$1.50". */
  private String amount(long amount) {
    return budget.unit() == BudgetUnit.TOKENS ? Format.tokens(amount) + " tokens" : BudgetUnit.formatUsd(amount);
  }

  /** {@code mode}, {@code reserved}, {@code openReservations} and {@code overshoot} of {@code status --json}. */
  void json(JsonGenerator json, AmountWriter amounts) throws IOException {
    json.writeStringField("mode", budget.mode().name().toLowerCase(Locale.ROOT));
    amounts.write(json, "reserved", reserved.amount());
    json.writeNumberField("openReservations", reserved.count());
    amounts.write(json, "overshoot", overshoot);
  }

  /** Writes an amount in the budget's unit (tokens, or decimal dollars). */
  @FunctionalInterface
  interface AmountWriter {
    void write(JsonGenerator json, String name, long amount) throws IOException;
  }
}
