package dev.tokenwatch.integration.langchain4j;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A provider's HTTP API on the loopback interface (the JDK's HttpServer): each POST to {@code path}
 * gets the next queued reply, or the fixed one. Server-sent events are written event by event, each
 * flushed, as a provider streams them.
 */
public final class LoopbackProvider implements AutoCloseable {

  /** One HTTP reply. */
  public record Reply(int status, String contentType, String body) {
    public static Reply json(String body) {
      return new Reply(200, "application/json", body);
    }

    public static Reply events(String body) {
      return new Reply(200, "text/event-stream", body);
    }

    public static Reply error(int status, String body) {
      return new Reply(status, "application/json", body);
    }
  }

  static {
    // without TCP_NODELAY, Nagle's algorithm and delayed ACKs hold each small reply for ~40 ms;
    // read once, when the JDK's server first starts
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile Supplier<Reply> fixed;

  private LoopbackProvider(String path) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(path, this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** A server answering POSTs to {@code path} (say {@code /v1/chat/completions}). */
  public static LoopbackProvider start(String path) throws IOException {
    return new LoopbackProvider(path);
  }

  /** {@code http://127.0.0.1:<port>/v1}: the base URL the models are given. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Queues replies, answered in order. */
  public LoopbackProvider enqueue(Reply... replies) {
    queue.addAll(List.of(replies));
    return this;
  }

  /** The reply to every request when none is queued. */
  public LoopbackProvider always(Reply reply) {
    return always(() -> reply);
  }

  /** The replies to requests when none is queued: a new one for each (say, with its own id). */
  public LoopbackProvider always(Supplier<Reply> replies) {
    this.fixed = replies;
    return this;
  }

  /** The bodies of the requests received, in order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (fixed == null) {
        requests.add(request); // kept for tests; a benchmark's endless requests are not
      }
      Reply reply = queue.poll();
      if (reply == null) {
        reply = fixed != null ? fixed.get() : Reply.error(500, "{\"error\":{\"message\":\"no reply queued\"}}");
      }
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      if (!reply.contentType().equals("text/event-stream")) {
        exchange.sendResponseHeaders(reply.status(), body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(reply.status(), 0); // chunked
      OutputStream out = exchange.getResponseBody();
      for (String event : reply.body().split("(?<=\n\n)")) {
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
