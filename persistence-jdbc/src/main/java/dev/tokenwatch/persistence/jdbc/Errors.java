package dev.tokenwatch.persistence.jdbc;

import java.sql.SQLException;
import java.util.List;

/**
 * What a database error says to a person, in one line: the driver's message without the SQL text
 * H2 appends ({@code ; SQL statement: ...}) and without the detail lines PostgreSQL adds ({@code
 * Detail: Key (...)=(...)}, which repeat row values such as request ids), secrets masked, plus the
 * SQLState. The full exception stays the cause, for a debugger, never for the terminal.
 */
final class Errors {

  private Errors() {}

  static String describe(SQLException e, List<String> secrets) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int sql = message.indexOf("; SQL statement:");
    if (sql >= 0) {
      int code = message.lastIndexOf(" [");
      message = message.substring(0, sql) + (code > sql && message.endsWith("]") ? message.substring(code) : "");
    }
    int lineEnd = message.indexOf('\n');
    if (lineEnd >= 0) {
      message = message.substring(0, lineEnd);
    }
    message = JdbcUrls.scrub(message.strip(), secrets);
    return e.getSQLState() == null ? message : message + " (SQLState " + e.getSQLState() + ")";
  }

  /** The messages of {@code e} and its causes, each once, joined by ": ". */
  static String rootMessage(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !text.toString().contains(c.getMessage())) {
        text.append(": ").append(c.getMessage());
      }
    }
    return text.toString();
  }

  /**
   * {@code e} itself if no message in its chain contains one of the secrets or a URL's password,
   * otherwise a copy of the chain with them masked (same types' names and stack traces kept in the
   * messages).
   */
  static Throwable scrubbed(Throwable e, List<String> secrets) {
    boolean leaks = false;
    for (Throwable c = e; c != null; c = c.getCause()) {
      String message = c.getMessage();
      if (message != null && !JdbcUrls.scrub(message, secrets).equals(message)) {
        leaks = true;
      }
    }
    if (!leaks) {
      return e;
    }
    JdbcUsageStoreException copy = new JdbcUsageStoreException(
        e.getClass().getName() + ": " + JdbcUrls.scrub(e.getMessage(), secrets),
        e.getCause() == null ? null : scrubbed(e.getCause(), secrets));
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }
}
