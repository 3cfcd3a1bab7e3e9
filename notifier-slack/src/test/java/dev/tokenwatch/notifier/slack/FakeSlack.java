package dev.tokenwatch.notifier.slack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on loopback standing in for Slack: answers each request with the next scripted
 * reply (200 "ok" once the script is used up) and records every request it received.
 */
final class FakeSlack implements AutoCloseable {

  static {
    // the JDK server writes response headers and body separately; without TCP_NODELAY, Nagle's
    // algorithm and the client's delayed ACK add ~40 ms to every request. Read once, when the
    // first server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** The secret part of the webhook path; must never show up in a log. */
  static final String SECRET = "SECRETtoken123";

  record Received(String body, String contentType, long nanoTime) {}

  /** A scripted reply. */
  record Reply(int status, String body, Map<String, String> headers, CountDownLatch holdUntil) {
    static Reply of(int status, String body) {
      return new Reply(status, body, Map.of(), null);
    }

    static Reply withHeader(int status, String body, String header, String value) {
      return new Reply(status, body, Map.of(header, value), null);
    }

    /** Answers 200 only once {@code gate} opens (or the server closes). */
    static Reply heldBy(CountDownLatch gate) {
      return new Reply(200, "ok", Map.of(), gate);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-slack");
    t.setDaemon(true);
    return t;
  });
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Reply defaultReply = Reply.of(200, "ok");

  FakeSlack() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String webhookUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0TEAM42/B0CHAN42/" + SECRET;
  }

  FakeSlack then(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /** The reply once the script is used up. */
  FakeSlack otherwise(Reply reply) {
    defaultReply = reply;
    return this;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<String> bodies() {
    return received.stream().map(Received::body).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(new Received(body, exchange.getRequestHeaders().getFirst("Content-Type"), System.nanoTime()));
      Reply reply = script.poll();
      if (reply == null) {
        reply = defaultReply;
      }
      if (reply.holdUntil() != null) {
        waitFor(reply.holdUntil());
      }
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private void waitFor(CountDownLatch gate) {
    try {
      // the server closing releases every held request, so no test leaves threads behind
      while (!gate.await(10, TimeUnit.MILLISECONDS) && closing.getCount() > 0) {
        // keep holding
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
