package dev.tokenwatch.persistence.jdbc;

/**
 * A {@link JdbcUsageStore} operation failed: the database could not be reached, the connection was
 * lost, or a statement failed after the store's own retries of transient conflicts. Unchecked, so
 * callers of the {@code UsageStore} port can catch it where they handle store failures. An
 * operation that threw committed nothing unless the message says the commit outcome is unknown;
 * events with request ids can then simply be recorded again (they are counted once). Messages
 * never contain passwords.
 */
public class JdbcUsageStoreException extends RuntimeException {

  /** A failure with its cause (kept for diagnosis; it carries no credentials). */
  public JdbcUsageStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure without an underlying exception. */
  public JdbcUsageStoreException(String message) {
    super(message);
  }
}
