package dev.tokenwatch.persistence.jdbc;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Captures every log line (with stack traces) of the libraries the store uses, at every level. */
final class LogCapture extends AbstractAppender implements AutoCloseable {

  private static final List<String> LOGGERS = List.of("dev.tokenwatch", "com.zaxxer.hikari", "org.flywaydb",
      "org.postgresql", "h2database");
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LogCapture() {
    super("capture", null, null, true, Property.EMPTY_ARRAY);
  }

  static LogCapture begin() {
    LogCapture capture = new LogCapture();
    capture.start0();
    return capture;
  }

  private void start0() {
    start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    for (String name : LOGGERS) {
      LoggerConfig logger = new LoggerConfig(name, Level.ALL, false);
      logger.addAppender(this, Level.ALL, null);
      config.addLogger(name, logger);
    }
    context.updateLoggers();
  }

  @Override
  public void append(LogEvent event) {
    StringWriter text = new StringWriter();
    text.append(event.getLoggerName()).append(' ').append(event.getMessage().getFormattedMessage());
    if (event.getThrown() != null) {
      event.getThrown().printStackTrace(new PrintWriter(text));
    }
    lines.add(text.toString());
  }

  String text() {
    return String.join("\n", lines);
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    LOGGERS.forEach(context.getConfiguration()::removeLogger);
    context.updateLoggers();
    stop();
  }
}
