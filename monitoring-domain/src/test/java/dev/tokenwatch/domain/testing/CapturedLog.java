package dev.tokenwatch.domain.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.message.MapMessage;

/**
 * Captures Log4j2 events while open, through a real core appender: {@link #attach()} on the root
 * logger, {@link #attachTo(String)} on one logger (also one that does not pass its events to the
 * root). For tests that assert on log output; needs log4j-core on the test classpath.
 */
public final class CapturedLog extends AbstractAppender implements AutoCloseable {

  /**
   * One captured event.
   *
   * @param level its level
   * @param logger the logger's name
   * @param message the formatted message
   * @param thrown the stack trace of the exception logged with it, or null
   * @param fields the fields of a map message (empty for other messages)
   */
  public record Entry(Level level, String logger, String message, String thrown, Map<String, String> fields) {

    /** Everything a reader of the log would see: the message and any stack trace. */
    public String fullText() {
      return message + (thrown == null ? "" : "\n" + thrown);
    }

    /** "WARN the message". */
    @Override
    public String toString() {
      return level + " " + message;
    }
  }

  private final List<Entry> entries = new CopyOnWriteArrayList<>();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private LoggerConfig target;
  private boolean addedTarget;
  private Level previousLevel;

  private CapturedLog() {
    super("captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
  }

  /** Captures every event that reaches the root logger, at any level. */
  public static CapturedLog attach() {
    CapturedLog log = new CapturedLog();
    log.start();
    Configuration config = log.context.getConfiguration();
    log.target = config.getRootLogger();
    log.previousLevel = log.target.getLevel();
    log.target.addAppender(log, Level.ALL, null);
    log.context.updateLoggers();
    return log;
  }

  /** Captures every event of {@code loggerName} and its children, at any level. */
  public static CapturedLog attachTo(String loggerName) {
    CapturedLog log = new CapturedLog();
    log.start();
    Configuration config = log.context.getConfiguration();
    LoggerConfig existing = config.getLoggerConfig(loggerName);
    if (existing.getName().equals(loggerName)) {
      log.target = existing;
    } else {
      log.target = new LoggerConfig(loggerName, Level.ALL, true);
      log.target.setParent(existing);
      config.addLogger(loggerName, log.target);
      log.addedTarget = true;
    }
    log.previousLevel = log.target.getLevel();
    log.target.setLevel(Level.ALL);
    log.target.addAppender(log, Level.ALL, null);
    log.context.updateLoggers();
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
    Map<String, String> fields = new java.util.HashMap<>();
    if (event.getMessage() instanceof MapMessage<?, ?> map) {
      map.getData().forEach((k, v) -> fields.put(k, String.valueOf(v)));
    }
    entries.add(new Entry(event.getLevel(), event.getLoggerName(), event.getMessage().getFormattedMessage(), thrown,
        Map.copyOf(fields)));
  }

  /** Captured events, in order. */
  public List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** Captured events of one level, in order. */
  public List<Entry> at(Level level) {
    return entries.stream().filter(e -> e.level() == level).toList();
  }

  /** Captured events as "LEVEL message" lines, in order. */
  public List<String> messages() {
    return entries.stream().map(Entry::toString).toList();
  }

  @Override
  public void close() {
    target.removeAppender(getName());
    target.setLevel(previousLevel);
    if (addedTarget) {
      context.getConfiguration().removeLogger(target.getName());
    }
    context.updateLoggers();
    stop();
  }
}
