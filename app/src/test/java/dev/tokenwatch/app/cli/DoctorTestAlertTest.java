package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doctor --test-alert} reports the real outcome of each notifier, against a Slack stub on
 * loopback: delivered (exit 0), HTTP 404 or connection refused (exit 1 with the reason), never the
 * webhook's secret; and the alert says that it is a test.
 */
class DoctorTestAlertTest {

  @TempDir
  Path dir;

  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private CliHarness cli;

  @BeforeEach
  void startSlackStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/services/T1/B1/", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, 2);
      exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
      exchange.close();
    });
    server.createContext("/services/T1/GONE/", exchange -> {
      byte[] body = "no_service".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(404, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    cli = new CliHarness(dir);
    cli.config("""
        budget:
          name: team
          limit: 1000
        store:
          type: file
          path: usage
        notifiers:
          - type: console
          - type: slack
            webhookUrl: ${HOOK}
        """);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String hook(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void aDeliveredTestAlertSaysItIsATest() {
    cli.variables.put("HOOK", hook("/services/T1/B1/topsecret"));

    CliHarness.Result doctor = cli.run("doctor", "--test-alert");

    assertThat(doctor.exitCode()).as(doctor.out() + doctor.err()).isZero();
    assertThat(doctor.out()).contains("notifier   ok: console (alerts on stderr): test alert delivered")
        .containsPattern("notifier   ok: slack webhook .*: test alert delivered").doesNotContain("topsecret");
    assertThat(bodies).hasSize(1);
    assertThat(bodies.get(0)).contains("TEST ALERT from tokenwatch doctor").doesNotContain("Threshold");
  }

  @Test
  void aWebhookAnswering404FailsTheCheckWithTheReason() {
    cli.variables.put("HOOK", hook("/services/T1/GONE/topsecret"));

    CliHarness.Result doctor = cli.run("doctor", "--test-alert");

    assertThat(doctor.exitCode()).isEqualTo(ExitCodes.OVER);
    assertThat(doctor.out()).contains("notifier   ok: console")
        .containsPattern("notifier   FAILED: slack webhook .*: Slack answered HTTP 404 no_service")
        .doesNotContain("topsecret");
    assertThat(doctor.err()).doesNotContain("topsecret");
  }

  @Test
  void aRefusedConnectionFailsTheCheckWithTheReason() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    cli.variables.put("HOOK", "http://127.0.0.1:" + closedPort + "/services/T1/B1/topsecret");

    CliHarness.Result doctor = cli.run("doctor", "--test-alert");

    assertThat(doctor.exitCode()).isEqualTo(ExitCodes.OVER);
    assertThat(doctor.out()).containsPattern("notifier   FAILED: slack webhook .*: ConnectException")
        .doesNotContain("topsecret");
    assertThat(doctor.err()).doesNotContain("topsecret");
  }
}
