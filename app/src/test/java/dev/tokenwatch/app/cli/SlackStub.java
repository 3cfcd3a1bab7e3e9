package dev.tokenwatch.app.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Slack incoming webhook on loopback that answers with {@link #status} (or holds each request
 * until {@link #release()} while {@link #hold} is set) and keeps the alert id of every request it
 * accepted with 200.
 */
final class SlackStub implements AutoCloseable {

  private static final Pattern ALERT_ID = Pattern.compile("alert ([0-9a-f]{16})");

  volatile int status = 200;
  volatile boolean hold;
  final List<String> accepted = new CopyOnWriteArrayList<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  final CountDownLatch firstRequest = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final HttpServer server;
  private int answered;

  SlackStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/services/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Matcher id = ALERT_ID.matcher(body);
      String alertId = id.find() ? id.group(1) : "(no id)";
      requests.add(alertId);
      firstRequest.countDown();
      if (hold) {
        try {
          released.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      int answer = status;
      byte[] reply = (answer == 200 ? "ok" : "internal_error").getBytes(StandardCharsets.UTF_8);
      if (answer == 200) {
        accepted.add(alertId);
      }
      exchange.sendResponseHeaders(answer, reply.length);
      exchange.getResponseBody().write(reply);
      exchange.close();
      synchronized (this) {
        answered++;
        notifyAll();
      }
    });
    server.start();
  }

  /** The webhook URL, with a secret path. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T1/B1/topsecret";
  }

  void release() {
    hold = false;
    released.countDown();
  }

  /** Waits until every request received so far has been answered. */
  synchronized void awaitAnswered() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (answered < requests.size() && System.currentTimeMillis() < deadline) {
      wait(100);
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }
}
