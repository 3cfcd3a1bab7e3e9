package dev.tokenwatch.domain.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures what a Log4j2 logger writes, for tests that assert on log output. Attach with {@link
 * #attachTo(String)}, detach with {@link #close()}.
 */
public final class CapturingAppender extends AbstractAppender implements AutoCloseable {

  private final List<LogEvent> events = Collections.synchronizedList(new ArrayList<>());
  private Logger logger;
  private Level previousLevel;

  private CapturingAppender() {
    super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
  }

  /** Starts capturing everything {@code loggerName} (and its children) log at any level. */
  public static CapturingAppender attachTo(String loggerName) {
    CapturingAppender appender = new CapturingAppender();
    appender.start();
    LoggerContext context = (LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
    appender.logger = context.getLogger(loggerName);
    appender.previousLevel = appender.logger.getLevel();
    appender.logger.addAppender(appender);
    appender.logger.setLevel(Level.ALL);
    return appender;
  }

  @Override
  public void append(LogEvent event) {
    events.add(event.toImmutable());
  }

  /** Captured events, in order. */
  public List<LogEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Captured messages, formatted. */
  public List<String> messages() {
    return events().stream().map(e -> e.getMessage().getFormattedMessage()).toList();
  }

  @Override
  public void close() {
    logger.removeAppender(this);
    logger.setLevel(previousLevel);
    stop();
  }
}
