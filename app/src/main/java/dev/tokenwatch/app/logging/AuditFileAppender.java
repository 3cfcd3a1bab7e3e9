package dev.tokenwatch.app.logging;

import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Writes each event's message, followed by a line break, to an {@link AuditFile}. The domain's audit
 * records are complete one-line JSON objects, so the message is the line: no layout is involved.
 */
final class AuditFileAppender extends AbstractAppender {

  private final AuditFile file;

  AuditFileAppender(String name, AuditFile file) {
    super(name, null, null, true, Property.EMPTY_ARRAY);
    this.file = file;
  }

  @Override
  public void append(LogEvent event) {
    try {
      file.append(event.getMessage().getFormattedMessage());
    } catch (RuntimeException e) {
      error("could not write to the audit log: " + e.getMessage(), event, e);
    }
  }

  @Override
  public boolean stop(long timeout, TimeUnit timeUnit) {
    setStopping();
    try {
      file.close();
    } catch (RuntimeException e) {
      error("could not close the audit log: " + e.getMessage(), null, e);
    }
    setStopped();
    return true;
  }
}
