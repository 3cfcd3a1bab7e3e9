package dev.tokenwatch.persistence.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The results, in order, of statements joined by {@code ;} and sent in one round trip (PostgreSQL):
 * each must be of the kind its statement gives, or the pipeline is not what was sent.
 */
final class PipelinedResults {

  private PipelinedResults() {}

  /** The next result, which must be rows; {@code what} names its statement in the error. */
  static ResultSet nextRows(PreparedStatement ps, String what) throws SQLException {
    if (!ps.getMoreResults()) {
      throw new SQLException(what + " returned no rows result");
    }
    return ps.getResultSet();
  }

  /** The next result, which must be an update count; {@code what} names its statement in the error. */
  static int nextCount(PreparedStatement ps, String what) throws SQLException {
    if (ps.getMoreResults()) {
      throw new SQLException(what + " returned rows");
    }
    return ps.getUpdateCount();
  }
}
