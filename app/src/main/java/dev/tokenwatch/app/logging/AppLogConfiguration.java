package dev.tokenwatch.app.logging;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * tokenwatch's logging, built in code rather than read from a file (no configuration file search,
 * no XML parser, no factory probing at start-up): warnings and errors only, on stderr, secrets masked
 * ({@link Redaction}); {@code java.util.logging} is routed here too ({@link JulToLog4j}). (The audit
 * trail is no log: it is {@link dev.tokenwatch.app.audit.FileAuditTrail}.)
 * Log4j's own shutdown hook is off: the application closes its resources first, then shuts Log4j down.
 */
final class AppLogConfiguration extends AbstractConfiguration {

  /** The level from which lines are written. */
  static final Level LEVEL = Level.WARN;

  AppLogConfiguration(LoggerContext context) {
    super(context, ConfigurationSource.NULL_SOURCE);
    setName("tokenwatch");
    isShutdownHookEnabled = false;
  }

  @Override
  protected void doConfigure() {
    Appender stderr = ConsoleAppender.newBuilder()
        .setName("stderr")
        .setTarget(ConsoleAppender.Target.SYSTEM_ERR)
        .setConfiguration(this)
        // Secrets masked in every line (Redaction); of an exception its first line only, no stack frames.
        .setLayout(new RedactingLayout(PatternLayout.newBuilder()
            .withConfiguration(this)
            .withPattern("tokenwatch: %level{lowerCase=true}: %msg%n%ex{1}")
            .build()))
        .build();
    stderr.start();
    addAppender(stderr);
    LoggerConfig root = getRootLogger();
    root.setLevel(LEVEL);
    root.addAppender(stderr, null, null);
  }
}
