package dev.tokenwatch.spring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A JDK HTTP server on 127.0.0.1 that records every request's path and body and answers each with
 * what {@code answer} returns for it.
 */
final class LoopbackServer implements AutoCloseable {

  /** What the server received. */
  record Request(String method, String path, String body) {}

  /** An answer: status, content type and body. */
  record Answer(int status, String contentType, List<String> parts) {
    static Answer json(String body) {
      return new Answer(200, "application/json", List.of(body));
    }
  }

  private final HttpServer server;
  private final BlockingQueue<Request> received = new LinkedBlockingQueue<>();

  LoopbackServer(Function<Request, Answer> answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> handle(exchange, answer));
    server.start();
  }

  private void handle(HttpExchange exchange, Function<Request, Answer> answer) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
      received.add(request);
      Answer reply = answer.apply(request);
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), 0); // chunked: parts are flushed one by one
      OutputStream out = exchange.getResponseBody();
      for (String part : reply.parts()) {
        out.write(part.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }
  }

  /** http://127.0.0.1:port */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next request received, waiting up to 10 s; null if none came. */
  Request next() throws InterruptedException {
    return received.poll(10, TimeUnit.SECONDS);
  }

  /** The requests received and not taken yet. */
  List<Request> drain() {
    List<Request> all = new java.util.ArrayList<>();
    received.drainTo(all);
    return all;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
