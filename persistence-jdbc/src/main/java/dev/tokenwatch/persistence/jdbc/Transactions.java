package dev.tokenwatch.persistence.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs units of work in transactions, retrying the ones a concurrent writer made fail (deadlock,
 * serialization failure, lock timeout) a bounded number of times, and those whose connection broke
 * before the commit was sent (nothing was committed, so running again is safe) once.
 */
final class Transactions {

  private static final Logger LOG = LogManager.getLogger(Transactions.class);

  static final int MAX_CONFLICT_ATTEMPTS = 20;
  static final int MAX_CONNECTION_ATTEMPTS = 2;

  /** One unit of work on a connection in a transaction; the runner commits. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Thrown by work that found a row a concurrent writer changed between two statements; retried. */
  static final class ConcurrentChangeException extends RuntimeException {
    ConcurrentChangeException(String message) {
      super(message, null, false, false);
    }
  }

  /** The connection broke after the commit was sent: the work may or may not have been committed. */
  static final class CommitOutcomeUnknownException extends JdbcUsageStoreException {
    CommitOutcomeUnknownException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final DataSource dataSource;
  /**
   * Run on the same connection after a write's commit, before the write returns, or null: H2 stores
   * commits in memory and writes them to its file in the background (every 170 ms or so by default),
   * so a write acknowledged to the caller could be lost on a crash; {@code CHECKPOINT SYNC} writes
   * them and forces the file to disk.
   */
  private final String afterWriteCommit;

  Transactions(DataSource dataSource, String afterWriteCommit) {
    this.dataSource = dataSource;
    this.afterWriteCommit = afterWriteCommit;
  }

  /** Runs {@code work}, which only reads, in a transaction and commits; {@code operation} names it in errors. */
  <T> T run(String operation, Work<T> work) {
    return run(operation, work, result -> false);
  }

  /**
   * Runs {@code work}, which writes, in a transaction and commits: when this returns, the work is
   * on disk (see {@link #afterWriteCommit}).
   */
  <T> T write(String operation, Work<T> work) {
    return run(operation, work, result -> afterWriteCommit != null);
  }

  /**
   * Runs {@code work}, which may write, in a transaction and commits: when this returns, the work is
   * on disk, but {@link #afterWriteCommit} is left out if {@code wrote} says the result changed
   * nothing (a read that found nothing to change costs no forced write).
   */
  <T> T writeIf(String operation, Work<T> work, Predicate<? super T> wrote) {
    return run(operation, work, result -> afterWriteCommit != null && wrote.test(result));
  }

  /**
   * Runs {@code work}, which writes what need not survive a crash (reservations), in a transaction
   * and commits, without {@link #afterWriteCommit}: visible to every connection once this returns.
   */
  <T> T writeNotDurable(String operation, Work<T> work) {
    return run(operation, work, result -> false);
  }

  private <T> T run(String operation, Work<T> work, Predicate<? super T> forceToDisk) {
    int conflicts = 0;
    int connectionFailures = 0;
    while (true) {
      Connection connection;
      try {
        connection = dataSource.getConnection();
      } catch (SQLException e) {
        // The pool already waited its connection timeout: the database is unreachable.
        throw new JdbcUsageStoreException(operation + " failed: cannot get a database connection: "
            + describe(e), e);
      }
      boolean commitSent = false;
      try {
        T result;
        Throwable failure = null;
        boolean restoreAutoCommit = false;
        try {
          restoreAutoCommit = connection.getAutoCommit();
          if (restoreAutoCommit) {
            connection.setAutoCommit(false);
          }
          result = work.run(connection);
          commitSent = true;
          connection.commit();
          if (forceToDisk.test(result)) {
            forceToDisk(connection);
          }
        } catch (Throwable e) {
          failure = e;
          rollback(connection, e);
          throw e;
        } finally {
          release(connection, restoreAutoCommit, failure);
        }
        return result;
      } catch (ConcurrentChangeException e) {
        conflicts++;
        if (conflicts >= MAX_CONFLICT_ATTEMPTS) {
          throw new JdbcUsageStoreException(operation + " failed after " + conflicts
              + " attempts, each undone by concurrent writers: " + e.getMessage());
        }
        backOff(conflicts);
      } catch (SQLException e) {
        if (isConflict(e)) {
          conflicts++;
          if (conflicts >= MAX_CONFLICT_ATTEMPTS) {
            throw new JdbcUsageStoreException(operation + " failed after " + conflicts
                + " attempts, each undone by concurrent writers: " + describe(e), e);
          }
          LOG.debug("{} hit a transient conflict (attempt {}), retrying: {}", operation, conflicts, describe(e));
          backOff(conflicts);
        } else if (isConnectionFailure(e) && !commitSent && ++connectionFailures < MAX_CONNECTION_ATTEMPTS) {
          LOG.warn("{} lost its database connection before committing, retrying once on a new connection: {}",
              operation, describe(e));
        } else if (isConnectionFailure(e) && commitSent) {
          throw new CommitOutcomeUnknownException(operation + " lost the database connection while committing; "
              + "the outcome is unknown (events with request ids can be recorded again safely): " + describe(e), e);
        } else {
          throw new JdbcUsageStoreException(operation + " failed: " + describe(e), e);
        }
      }
    }
  }

  /** Writes the committed work to the database file and forces it to disk; a failure leaves that unknown. */
  private void forceToDisk(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(afterWriteCommit);
    } catch (SQLException e) {
      throw new CommitOutcomeUnknownException("the commit could not be written to the database file ("
          + afterWriteCommit + " failed), so it may be lost on a crash; the outcome is unknown (events with request "
          + "ids can be recorded again safely): " + describe(e), e);
    }
  }

  private static void rollback(Connection connection, Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      failure.addSuppressed(rollbackFailure);
    }
  }

  /** Gives the connection back to the pool as it was lent; a failure here joins the work's failure, if any. */
  private static void release(Connection connection, boolean restoreAutoCommit, Throwable failure)
      throws SQLException {
    try {
      if (restoreAutoCommit && !connection.isClosed()) {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      if (failure == null) {
        connection.close();
        throw e;
      }
      failure.addSuppressed(e);
    }
    try {
      connection.close();
    } catch (SQLException e) {
      if (failure == null) {
        throw e;
      }
      failure.addSuppressed(e);
    }
  }

  /** The error in one line, without SQL text or row values (see {@link Errors}). */
  private static String describe(SQLException e) {
    return Errors.describe(e, List.of());
  }

  /** Failures caused by a concurrent transaction, which a new attempt usually does not meet. */
  static boolean isConflict(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && (state.equals("40001") // serialization failure; H2 deadlock
            || state.equals("40P01") // PostgreSQL deadlock
            || state.equals("55P03") // PostgreSQL lock not available
            || state.equals("HYT00") // H2 lock timeout
            || state.equals("90131") // H2 concurrent update
            || state.equals("23505"))) { // unique race between "insert if absent" statements
          return true;
        }
      }
    }
    return false;
  }

  /** The connection broke: network, server shut down, or the pool could not replace it. */
  static boolean isConnectionFailure(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
          return true;
        }
      }
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  private static void backOff(int attempt) {
    long maxMicros = Math.min(50_000L, 500L << Math.min(attempt, 6));
    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(maxMicros / 4, maxMicros) * 1_000L);
  }
}
