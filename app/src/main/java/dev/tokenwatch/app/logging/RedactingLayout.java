package dev.tokenwatch.app.logging;

import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.layout.AbstractStringLayout;

/** A layout that formats with another and masks secrets in the result ({@link Redaction}). */
final class RedactingLayout extends AbstractStringLayout {

  private final Layout<String> delegate;

  RedactingLayout(Layout<String> delegate) {
    super(StandardCharsets.UTF_8);
    this.delegate = delegate;
  }

  @Override
  public String toSerializable(LogEvent event) {
    return Redaction.redact(delegate.toSerializable(event));
  }
}
