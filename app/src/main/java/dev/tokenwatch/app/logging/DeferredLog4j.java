package dev.tokenwatch.app.logging;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.message.MessageFactory;
import org.apache.logging.log4j.spi.ExtendedLogger;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.spi.LoggerContextFactory;
import org.apache.logging.log4j.spi.Provider;

/**
 * The Log4j API provider of tokenwatch ({@code log4j.provider} in {@code log4j2.component.properties}):
 * Log4j core, about 600 classes and a fifth of a short command's start-up, is started only when a
 * line at {@link AppLogConfiguration#LEVEL} or above is logged, which most runs never do. Until then
 * each logger answers {@code isEnabled} from that level alone ({@link DeferredLogger}).
 */
public final class DeferredLog4j extends Provider {

  private static final Context CONTEXT = new Context();

  /** Called by Log4j API through the {@code log4j.provider} property. */
  public DeferredLog4j() {
    super(100, CURRENT_VERSION, Factory.class);
  }

  /** Whether Log4j core has been started in this process. */
  static boolean coreStarted() {
    return CONTEXT.core != null;
  }

  /** Log4j core's context with tokenwatch's configuration, started on first call. */
  static org.apache.logging.log4j.core.LoggerContext core() {
    return CONTEXT.core();
  }

  /** The one context, whatever the caller's class loader: the CLI has one application class loader. */
  public static final class Factory implements LoggerContextFactory {

    @Override
    public LoggerContext getContext(String fqcn, ClassLoader loader, Object externalContext, boolean currentContext) {
      return CONTEXT;
    }

    @Override
    public LoggerContext getContext(String fqcn, ClassLoader loader, Object externalContext, boolean currentContext,
        URI configLocation, String name) {
      return CONTEXT;
    }

    @Override
    public void removeContext(LoggerContext context) {}

    @Override
    public boolean isClassLoaderDependent() {
      return false;
    }

    /** {@code LogManager.shutdown()}: stops Log4j core (flushing its appender) if it was started. */
    @Override
    public void shutdown(String fqcn, ClassLoader loader, boolean currentContext, boolean allContexts) {
      CONTEXT.stop();
    }
  }

  private static final class Context implements LoggerContext {

    private final Map<String, DeferredLogger> loggers = new ConcurrentHashMap<>();
    private volatile org.apache.logging.log4j.core.LoggerContext core;

    @Override
    public Object getExternalContext() {
      return null;
    }

    @Override
    public ExtendedLogger getLogger(String name) {
      return loggers.computeIfAbsent(name, n -> new DeferredLogger(n, null));
    }

    /** A logger with its own message factory is not shared (the factory makes its messages). */
    @Override
    public ExtendedLogger getLogger(String name, MessageFactory messageFactory) {
      return messageFactory == null ? getLogger(name) : new DeferredLogger(name, messageFactory);
    }

    @Override
    public boolean hasLogger(String name) {
      return loggers.containsKey(name);
    }

    @Override
    public boolean hasLogger(String name, MessageFactory messageFactory) {
      return hasLogger(name);
    }

    @Override
    public boolean hasLogger(String name, Class<? extends MessageFactory> messageFactoryClass) {
      return hasLogger(name);
    }

    synchronized org.apache.logging.log4j.core.LoggerContext core() {
      if (core == null) {
        org.apache.logging.log4j.core.LoggerContext started = new org.apache.logging.log4j.core.LoggerContext("tokenwatch");
        started.start(new AppLogConfiguration(started));
        core = started;
      }
      return core;
    }

    synchronized void stop() {
      if (core != null) {
        core.stop();
      }
    }
  }
}
