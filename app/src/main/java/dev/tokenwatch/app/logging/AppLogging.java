package dev.tokenwatch.app.logging;

import java.nio.file.Path;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Starts Log4j with tokenwatch's logging ({@link AppLogConfiguration}). The application calls
 * {@link #start()} before anything logs; benchmarks that measure the application's audit log call it
 * too.
 */
public final class AppLogging {

  /** The system property naming the state directory, where the audit log goes. */
  public static final String STATE_DIR_PROPERTY = "tokenwatch.stateDir";
  /** The audit log's file name in the state directory. */
  public static final String AUDIT_FILE = "audit.jsonl";

  private AppLogging() {}

  /**
   * Configures Log4j for the application, audit log on. The audit log's directory is the system
   * property {@value #STATE_DIR_PROPERTY} when the first audit line is written (falling back to
   * {@code <java.io.tmpdir>/tokenwatch}), so the application may set it after this call.
   */
  public static synchronized void start() {
    start(true);
  }

  /** As {@link #start()}, with the audit log on or off. */
  public static synchronized void start(boolean audit) {
    JulToLog4j.install();
    LoggerContext context = Configurator.initialize(AppLogging.class.getClassLoader(),
        new AppLogConfiguration(null, AppLogging::auditFile, audit));
    if (!(context.getConfiguration() instanceof AppLogConfiguration)) {
      // Log4j started before (a library logged first): replace whatever it found.
      context.reconfigure(new AppLogConfiguration(context, AppLogging::auditFile, audit));
    }
  }

  static Path auditFile() {
    String dir = System.getProperty(STATE_DIR_PROPERTY);
    Path directory = dir == null || dir.isBlank()
        ? Path.of(System.getProperty("java.io.tmpdir"), "tokenwatch") : Path.of(dir);
    return directory.resolve(AUDIT_FILE);
  }
}
