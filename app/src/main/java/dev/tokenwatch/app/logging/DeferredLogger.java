package dev.tokenwatch.app.logging;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.MessageFactory;
import org.apache.logging.log4j.spi.AbstractLogger;
import org.apache.logging.log4j.spi.ExtendedLogger;

/**
 * A logger of {@link DeferredLog4j}: enabled at {@link AppLogConfiguration#LEVEL} and above, as
 * tokenwatch's configuration is; a line it logs starts Log4j core and goes to core's logger of the
 * same name, with the caller's class name for location and the message as made here.
 */
final class DeferredLogger extends AbstractLogger {

  private static final long serialVersionUID = 1L;

  private transient volatile ExtendedLogger core;

  DeferredLogger(String name, MessageFactory messageFactory) {
    super(name, messageFactory);
  }

  private static boolean enabled(Level level) {
    return level.isMoreSpecificThan(AppLogConfiguration.LEVEL);
  }

  @Override
  public void logMessage(String fqcn, Level level, Marker marker, Message message, Throwable t) {
    ExtendedLogger target = core;
    if (target == null) {
      target = DeferredLog4j.core().getLogger(getName());
      core = target;
    }
    target.logMessage(fqcn, level, marker, message, t);
  }

  @Override
  public Level getLevel() {
    return AppLogConfiguration.LEVEL;
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, Message message, Throwable t) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, CharSequence message, Throwable t) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, Object message, Throwable t) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Throwable t) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object... params) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3,
      Object p4) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3,
      Object p4, Object p5) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3,
      Object p4, Object p5, Object p6) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3,
      Object p4, Object p5, Object p6, Object p7) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3,
      Object p4, Object p5, Object p6, Object p7, Object p8) {
    return enabled(level);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3,
      Object p4, Object p5, Object p6, Object p7, Object p8, Object p9) {
    return enabled(level);
  }
}
