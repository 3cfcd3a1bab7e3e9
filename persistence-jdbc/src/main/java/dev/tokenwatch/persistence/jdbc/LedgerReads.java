package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.ledger.UsageRow;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The store's reads, each one read-only transaction: usage queries ({@link LedgerQuery}), history
 * ({@link LedgerHistory}), a window's totals and whether they are kept ({@link WindowRows}), and the
 * retained start ({@link Retention}).
 */
final class LedgerReads {

  private final Statements sql;
  private final Transactions transactions;
  private final Retention retention;
  private final WindowRows windows;

  LedgerReads(Statements sql, Transactions transactions, Retention retention, WindowRows windows) {
    this.sql = sql;
    this.transactions = transactions;
    this.retention = retention;
    this.windows = windows;
  }

  /** See {@link dev.tokenwatch.domain.port.UsageStore#query}. */
  UsageAnswer query(UsageQuery query) {
    Objects.requireNonNull(query, "query");
    return transactions.run("answering a usage query", connection -> {
      Instant retainedFrom = retention.read(connection);
      List<UsageRow> rows = new LedgerQuery(sql, query).rows(connection);
      boolean before = retainedFrom != null && (query.from() == null || query.from().isBefore(retainedFrom));
      return new UsageAnswer(rows, retainedFrom, before);
    });
  }

  /** See {@link dev.tokenwatch.domain.port.UsageStore#history}. */
  List<TokenUsageEvent> history(UsageFilter filter, int limit) {
    Objects.requireNonNull(filter, "filter");
    if (limit <= 0) {
      return List.of();
    }
    return transactions.run("reading history", connection -> LedgerHistory.latest(connection, sql, filter, limit));
  }

  /** See {@link dev.tokenwatch.domain.port.UsageStore#windowTotals}. */
  Counts windowTotals(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    return transactions.run("reading the totals of " + window, connection -> windows.read(connection, window));
  }

  /** See {@link dev.tokenwatch.domain.port.UsageStore#keepsWindow}. */
  boolean keepsWindow(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    return transactions.run("reading whether totals of " + window + " are kept",
        connection -> windows.keeps(connection, window));
  }

  /** See {@link dev.tokenwatch.domain.port.UsageStore#retainedFrom}. */
  Instant retainedFrom() {
    return transactions.run("reading the retained start", retention::read);
  }
}
