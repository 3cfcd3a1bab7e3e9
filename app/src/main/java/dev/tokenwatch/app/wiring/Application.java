package dev.tokenwatch.app.wiring;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.port.AlertSink;
import dev.tokenwatch.domain.port.UsageStore;
import java.util.List;

/**
 * The assembled application as the commands see it. Objects are created on first use (the injector
 * runs in development stage, so singletons are lazy): {@code config} never opens the store, and a
 * store or notifier that is not configured is never loaded.
 */
public final class Application implements AutoCloseable {

  private final Injector injector;
  private final AppConfig config;
  private final AppResources resources;

  Application(Injector injector, AppConfig config, AppResources resources) {
    this.injector = injector;
    this.config = config;
    this.resources = resources;
  }

  /** The configuration the application was built from. */
  public AppConfig config() {
    return config;
  }

  /** The tracker; opens the store on first call. */
  public TokenTracker tracker() {
    return injector.getInstance(TokenTracker.class);
  }

  /**
   * The tracker's store itself, for reads the tracker does not offer (every event of a report that
   * is priced again); failures are {@link StoreException}s as through the tracker.
   */
  public UsageStore store() {
    tracker(); // the store as the tracker opened it (retention applied)
    return new GuardedUsageStore(injector.getInstance(UsageStore.class), config.store().describe());
  }

  /** The configured alert sinks, in configuration order. */
  public List<AlertSink> alertSinks() {
    return injector.getInstance(Key.get(new TypeLiteral<List<AlertSink>>() {}));
  }

  /**
   * Hands {@code resource} to the resource owner: it is closed before everything opened earlier
   * (such as the store), when the command ends or on Ctrl-C.
   */
  public <T extends AutoCloseable> T register(String name, T resource) {
    return resources.register(name, resource);
  }

  /** Closes everything opened, newest first. */
  @Override
  public void close() {
    resources.close();
  }
}
