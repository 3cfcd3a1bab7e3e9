package dev.tokenwatch.persistence.file;

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

/** Captures what {@link FileUsageStore} logs, through a real Log4j2 core appender. */
final class CapturedLog extends AbstractAppender implements AutoCloseable {

  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final LoggerContext context;
  private final String loggerName = FileUsageStore.class.getName();

  CapturedLog() {
    super("captured", null, null, true, Property.EMPTY_ARRAY);
    context = (LoggerContext) LogManager.getContext(false);
    start();
    Configuration config = context.getConfiguration();
    LoggerConfig logger = new LoggerConfig(loggerName, Level.INFO, false);
    logger.addAppender(this, Level.INFO, null);
    config.addLogger(loggerName, logger);
    context.updateLoggers();
  }

  @Override
  public void append(LogEvent event) {
    messages.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
  }

  List<String> messages() {
    return messages;
  }

  @Override
  public void close() {
    context.getConfiguration().removeLogger(loggerName);
    context.updateLoggers();
    stop();
  }
}
