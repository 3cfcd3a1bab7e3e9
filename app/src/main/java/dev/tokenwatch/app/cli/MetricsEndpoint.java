package dev.tokenwatch.app.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.metrics.micrometer.TokenwatchMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The tracker's Micrometer meters ({@link TokenwatchMetrics}) in Prometheus' text format at {@code
 * GET /metrics}, served by the JDK's HTTP server on one daemon thread until closed.
 */
final class MetricsEndpoint implements AutoCloseable {

  static final String PATH = "/metrics";
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final TokenwatchMetrics metrics;
  private final PrometheusMeterRegistry registry;
  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsEndpoint(TokenwatchMetrics metrics, PrometheusMeterRegistry registry, HttpServer server,
      ExecutorService executor) {
    this.metrics = metrics;
    this.registry = registry;
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} and starts serving the meters of {@code tracker}.
   *
   * @throws IOException if the address cannot be bound (in use, not a local address)
   */
  static MetricsEndpoint start(TokenTracker tracker, InetSocketAddress address) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TokenwatchMetrics metrics = TokenwatchMetrics.of(tracker);
    metrics.bindTo(registry);
    server.createContext(PATH, exchange -> serve(exchange, registry));
    ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "tokenwatch-metrics");
      thread.setDaemon(true); // a scrape in progress never keeps the process alive
      return thread;
    });
    server.setExecutor(executor);
    server.start();
    return new MetricsEndpoint(metrics, registry, server, executor);
  }

  private static void serve(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        reply(exchange, 404, "text/plain; charset=utf-8", "not found: the metrics are at " + PATH + "\n", method);
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        reply(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n", method);
      } else {
        reply(exchange, 200, CONTENT_TYPE, registry.scrape(), method);
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, String contentType, String body, String method)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = method.equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The meters: the ingestor's batches go to {@link TokenwatchMetrics#recordAll}. */
  TokenwatchMetrics metrics() {
    return metrics;
  }

  /** Where it listens (the port chosen when 0 was asked for). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops listening, lets a scrape in progress end (up to a second), then closes the registry. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
    registry.close();
  }
}
