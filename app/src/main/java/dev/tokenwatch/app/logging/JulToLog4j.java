package dev.tokenwatch.app.logging;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.apache.logging.log4j.Logger;

/**
 * Routes {@code java.util.logging} (the PostgreSQL driver logs through it) into Log4j, so its
 * warnings pass the same redaction and stderr format as every other line instead of JUL's own
 * console handler, which would print them unmasked (a URL with its password, say).
 */
final class JulToLog4j extends Handler {

  private final SimpleFormatter formatter = new SimpleFormatter();

  /** Replaces JUL's handlers with this one; JUL records below WARNING are not even created. */
  static void install() {
    LogManager.getLogManager().reset();
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.setLevel(Level.WARNING);
    root.addHandler(new JulToLog4j());
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null) {
      return;
    }
    String name = record.getLoggerName() == null ? "jul" : record.getLoggerName();
    Logger logger = org.apache.logging.log4j.LogManager.getLogger(name);
    org.apache.logging.log4j.Level level = level(record.getLevel());
    if (logger.isEnabled(level)) {
      logger.log(level, formatter.formatMessage(record), record.getThrown());
    }
  }

  private static org.apache.logging.log4j.Level level(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return org.apache.logging.log4j.Level.ERROR;
    }
    if (value >= Level.WARNING.intValue()) {
      return org.apache.logging.log4j.Level.WARN;
    }
    if (value >= Level.INFO.intValue()) {
      return org.apache.logging.log4j.Level.INFO;
    }
    if (value >= Level.FINE.intValue()) {
      return org.apache.logging.log4j.Level.DEBUG;
    }
    return org.apache.logging.log4j.Level.TRACE;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
