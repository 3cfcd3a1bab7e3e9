package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.ledger.UsageQuery;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** For the benchmarks: the query plan of a usage query's statement on a store's database. */
public final class LedgerExplain {

  private LedgerExplain() {}

  /** The plan lines of {@code query} on {@code store}, prefixed by {@code explain} (database-specific). */
  public static List<String> of(JdbcUsageStore store, UsageQuery query, String explain) throws SQLException {
    try (Connection c = store.dataSource().getConnection()) {
      try {
        return new LedgerQuery(store.statements(), query).explain(c, explain);
      } finally {
        c.rollback();
      }
    }
  }
}
