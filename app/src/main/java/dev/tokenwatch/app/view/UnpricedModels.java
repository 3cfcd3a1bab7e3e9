package dev.tokenwatch.app.view;

import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageRow;
import java.util.ArrayList;
import java.util.List;

/** {@code doctor}'s lines on the models of the ledger's events that have no cost. */
public final class UnpricedModels {

  private UnpricedModels() {}

  /**
   * "prices     every event in the ledger has a cost", or a line per model without a price with its
   * event count and a hint; a model {@code prices} prices now was recorded before it had a price.
   *
   * @param perModel the ledger grouped by model (no time grain)
   */
  public static String text(UsageAnswer perModel, PriceTable prices) {
    List<UsageRow> unpriced = new ArrayList<>();
    for (UsageRow row : perModel.rows()) {
      if (row.counts().unpricedCalls() > 0) {
        unpriced.add(row);
      }
    }
    if (unpriced.isEmpty()) {
      return "prices     ok: every event in the ledger has a cost\n";
    }
    unpriced.sort((a, b) -> Long.compare(b.counts().unpricedCalls(), a.counts().unpricedCalls()));
    StringBuilder text = new StringBuilder("prices     " + unpriced.size() + (unpriced.size() == 1 ? " model" : " models")
        + " in the ledger with events without a cost (reports show them as unpriced):\n");
    boolean pricedNow = false;
    for (UsageRow row : unpriced) {
      String model = row.key(0);
      boolean known = prices.lookup(model).isPresent();
      pricedNow |= known;
      text.append("  unpriced ").append(model).append(": ").append(Format.tokens(row.counts().unpricedCalls()))
          .append(row.counts().unpricedCalls() == 1 ? " event, " : " events, ")
          .append(Format.tokens(row.counts().unpricedTokens())).append(" tokens")
          .append(known ? " (priced now; recorded before it had a price)" : "").append('\n');
    }
    text.append("  hint: give a model prices under prices: in the configuration (prices: {MODEL: {input: 0.2, "
        + "output: 0.6}}, USD per million tokens), or update the table with 'tokenwatch prices --update FILE'; "
        + "new events are priced from then on");
    text.append(pricedNow ? "; 'tokenwatch report monthly --reprice' prices past ones for a report\n" : "\n");
    return text.toString();
  }
}
