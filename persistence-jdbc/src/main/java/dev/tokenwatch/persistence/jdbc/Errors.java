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
}
