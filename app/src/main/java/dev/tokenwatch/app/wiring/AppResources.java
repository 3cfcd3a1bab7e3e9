package dev.tokenwatch.app.wiring;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The one owner of everything that must be closed (stores, connection pools, alert delivery).
 * Providers register what they open; {@link #close()} closes it in reverse order of registration,
 * once, whether the process ends normally or on Ctrl-C (the CLI runs it from a shutdown hook too).
 */
final class AppResources implements AutoCloseable {

  private static final Logger LOG = LogManager.getLogger(AppResources.class);

  private record Registered(String name, AutoCloseable resource) {}

  private final Deque<Registered> open = new ArrayDeque<>();
  private boolean closed;

  /** Takes ownership of {@code resource}; it is closed before everything registered earlier. */
  synchronized <T extends AutoCloseable> T register(String name, T resource) {
    Objects.requireNonNull(resource, "resource");
    if (closed) {
      closeQuietlyAfterShutdown(name, resource);
      throw new IllegalStateException("the application is shutting down; " + name + " was closed again at once");
    }
    open.push(new Registered(name, resource));
    return resource;
  }

  /**
   * Closes every resource, newest first. Each is closed even if an earlier one fails; the failures
   * are thrown together as one {@link StoreException} (the first as cause, the others suppressed).
   */
  @Override
  public void close() {
    StoreException failure = null;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      while (!open.isEmpty()) {
        Registered next = open.pop();
        try {
          next.resource().close();
        } catch (Exception e) {
          LOG.error("Closing {} failed: {}", next.name(), e.toString(), e);
          if (failure == null) {
            failure = new StoreException("closing " + next.name() + " failed: " + e.getMessage(), e);
          } else {
            failure.addSuppressed(e);
          }
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void closeQuietlyAfterShutdown(String name, AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      LOG.error("Closing {} opened during shutdown failed: {}", name, e.toString(), e);
    }
  }
}
