package dev.tokenwatch.app.logging;

import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/** Starts Log4j with tokenwatch's logging ({@link AppLogConfiguration}). The application calls {@link #start()} before anything logs. */
public final class AppLogging {

  private AppLogging() {}

  /** Configures Log4j for the application. */
  public static synchronized void start() {
    LoggerContext context = Configurator.initialize(AppLogging.class.getClassLoader(), new AppLogConfiguration(null));
    if (!(context.getConfiguration() instanceof AppLogConfiguration)) {
      // Log4j started before (a library logged first): replace whatever it found.
      context.reconfigure(new AppLogConfiguration(context));
    }
  }
}
