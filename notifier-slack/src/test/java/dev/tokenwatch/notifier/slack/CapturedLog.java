package dev.tokenwatch.notifier.slack;

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
import org.apache.logging.log4j.core.config.Property;

/** Captures every Log4j2 event while open: a real appender on the root logger. */
final class CapturedLog extends AbstractAppender implements AutoCloseable {

  /** One captured event: level, logger, formatted message and the thrown exception's text. */
  record Entry(Level level, String logger, String message, String thrown) {
    /** Everything a reader of the log would see. */
    String fullText() {
      return message + (thrown == null ? "" : "\n" + thrown);
    }
  }

  private final List<Entry> entries = new CopyOnWriteArrayList<>();

  private CapturedLog(String name) {
    super(name, null, null, true, Property.EMPTY_ARRAY);
  }

  static CapturedLog attach() {
    CapturedLog log = new CapturedLog("captured-" + System.nanoTime());
    log.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    config.addAppender(log);
    config.getRootLogger().addAppender(log, Level.ALL, null);
    context.updateLoggers();
    return log;
  }

  @Override
  public void append(LogEvent event) {
    String thrown = null;
    if (event.getThrown() != null) {
      StringWriter text = new StringWriter();
      event.getThrown().printStackTrace(new PrintWriter(text));
      thrown = text.toString();
    }
    entries.add(new Entry(event.getLevel(), event.getLoggerName(), event.getMessage().getFormattedMessage(), thrown));
  }

  List<Entry> entries() {
    return List.copyOf(entries);
  }

  List<Entry> at(Level level) {
    return entries.stream().filter(e -> e.level() == level).toList();
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    config.getRootLogger().removeAppender(getName());
    context.updateLoggers();
    stop();
  }
}
