package dev.tokenwatch.app.logging;

import java.nio.file.Path;
import java.util.function.Supplier;
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
 * no XML parser, no factory probing at start-up):
 * <ul>
 *   <li>{@code tokenwatch.audit}: every record as one JSON line in {@code <state dir>/audit.jsonl},
 *       stored synchronously into this process's memory-mapped ring and copied to the file in the
 *       background ({@link AuditFile}: a crash of the process loses no line), rolled over at 10 MB
 *       keeping 4 older files ({@code audit.1.jsonl} is the newest);
 *   <li>everything else: warnings and errors only, on stderr, secrets masked ({@link Redaction});
 *       {@code java.util.logging} is routed here too ({@link JulToLog4j}).
 * </ul>
 * Log4j's own shutdown hook is off: the application closes its resources first, then shuts Log4j down.
 */
final class AppLogConfiguration extends AbstractConfiguration {

  static final String AUDIT_LOGGER = "tokenwatch.audit";
  static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
  static final int BACKUPS = 4;
  /** Room for about 12,000 lines waiting to be copied: tens of milliseconds of the fastest tracking. */
  static final int RING_BYTES = 4 * 1024 * 1024;

  private final Supplier<Path> auditFile;
  private final boolean audit;

  AppLogConfiguration(LoggerContext context, Supplier<Path> auditFile, boolean audit) {
    super(context, ConfigurationSource.NULL_SOURCE);
    this.auditFile = auditFile;
    this.audit = audit;
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
    root.setLevel(Level.WARN);
    root.addAppender(stderr, null, null);

    LoggerConfig auditLogger = new LoggerConfig(AUDIT_LOGGER, audit ? Level.INFO : Level.OFF, false);
    if (audit) {
      Appender file = new AuditFileAppender("audit",
          new AuditFile(auditFile, MAX_FILE_BYTES, BACKUPS, RING_BYTES));
      file.start();
      addAppender(file);
      auditLogger.addAppender(file, null, null);
    }
    addLogger(AUDIT_LOGGER, auditLogger);
  }
}
