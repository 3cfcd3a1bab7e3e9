package dev.tokenwatch.persistence.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens the store's first connection, before its pool exists, and decides which failures are worth
 * waiting out: a database that is not reachable yet (connection refused, server starting) and an H2
 * file another process has open are retried until the connect timeout; anything else (wrong
 * password, unknown role or database, a file that cannot be read) fails at once, since waiting
 * cannot fix it. Messages name the masked URL and carry no secret, SQL or stack trace.
 */
final class FirstConnection {

  /** H2: "Database may be already in use" (the file is locked by another process). */
  static final int H2_DATABASE_IN_USE = 90020;

  private FirstConnection() {}

  /**
   * @param timeout the connect timeout, for messages
   * @param start when the wait began ({@link System#nanoTime()}): it ends at {@code start + timeout}
   */
  static Connection open(String url, Properties properties, Duration timeout, long start, String maskedUrl,
      String user, List<String> secrets, Optional<Path> h2File) {
    long deadline = start + timeout.toNanos();
    long pauseMillis = 10;
    while (true) {
      try {
        Connection connection = DriverManager.getConnection(url, properties);
        if (connection == null) {
          throw new JdbcUsageStoreException("no JDBC driver accepts the url " + maskedUrl);
        }
        return connection;
      } catch (SQLException e) {
        boolean inUse = h2File.isPresent() && errorCode(e, H2_DATABASE_IN_USE);
        boolean retryable = inUse || (h2File.isEmpty() && Transactions.isConnectionFailure(e) && !isAuthorization(e));
        long now = System.nanoTime();
        if (!retryable) {
          throw new JdbcUsageStoreException("cannot connect to database " + maskedUrl
              + (user == null ? "" : " as user '" + user + "'") + ": " + Errors.describe(e, secrets)
              + " (not retried: waiting cannot fix this)", Errors.scrubbed(e, secrets));
        }
        if (now - deadline >= 0) {
          long waited = Duration.ofNanos(now - start).toMillis();
          if (inUse) {
            throw new JdbcUsageStoreException(inUse(h2File.get(), waited), Errors.scrubbed(e, secrets));
          }
          throw new JdbcUsageStoreException("cannot connect to database " + maskedUrl + " within "
              + timeout.toMillis() + " ms: " + Errors.describe(e, secrets), Errors.scrubbed(e, secrets));
        }
        long sleepNanos = Math.min(Duration.ofMillis(pauseMillis).toNanos(), deadline - now);
        LockSupport.parkNanos(sleepNanos);
        pauseMillis = Math.min(inUse ? 50 : 500, pauseMillis * 2);
      }
    }
  }

  /** The message for an H2 file another process kept open for the whole connect timeout. */
  static String inUse(Path database, long waitedMillis) {
    return "the H2 database " + H2Files.file(database, ".mv.db") + " is in use by another process; waited "
        + waitedMillis + " ms (the connect timeout) for it to close it. H2 opens a database file in one process at a "
        + "time: run one tokenwatch process on it at a time, or use the file store or PostgreSQL for several "
        + "processes at once";
  }

  /** Authentication and authorization failures: SQLState class 28, or 3D000 (no such database), 3F000 (schema). */
  static boolean isAuthorization(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("28") || state.equals("3D000") || state.equals("3F000") || state.equals("42501")) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean errorCode(SQLException e, int code) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() == code) {
        return true;
      }
    }
    return false;
  }
}
