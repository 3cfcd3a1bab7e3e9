package dev.tokenwatch.app.logging;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/** Starts Log4j with tokenwatch's logging ({@link AppLogConfiguration}). The application calls {@link #start()} before anything logs. */
public final class AppLogging {

  private AppLogging() {}

  /**
   * Routes {@code java.util.logging} to Log4j and makes sure Log4j uses tokenwatch's configuration:
   * with {@link DeferredLog4j} (the provider {@code log4j2.component.properties} names) it is applied
   * when Log4j core starts, at the first line logged; with Log4j core's own provider (another
   * {@code log4j.provider} setting won) it is applied now.
   */
  public static synchronized void start() {
    JulToLog4j.install();
    if (LogManager.getFactory() instanceof DeferredLog4j.Factory) {
      return;
    }
    LoggerContext context = Configurator.initialize(AppLogging.class.getClassLoader(), new AppLogConfiguration(null));
    if (!(context.getConfiguration() instanceof AppLogConfiguration)) {
      // Log4j started before (a library logged first): replace whatever it found.
      context.reconfigure(new AppLogConfiguration(context));
    }
  }
}
