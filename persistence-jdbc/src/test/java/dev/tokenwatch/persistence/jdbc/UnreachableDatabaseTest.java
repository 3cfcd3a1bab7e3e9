package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** No database listening: start fails within the timeout, naming the URL, never showing a password. */
class UnreachableDatabaseTest {

  private static final String PASSWORD = "s3cret-Pa55word";
  private static final String URL_PASSWORD = "in-url-Secret";

  @Test
  void startFailsWithinTheTimeoutNamingTheUrlWithThePasswordMasked() throws Exception {
    int port = closedPort();
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/usage?user=tw&password=" + URL_PASSWORD;
    try (LogCapture logs = LogCapture.begin()) {
      long start = System.nanoTime();
      JdbcUsageStoreException e = catchThrowableOfType(JdbcUsageStoreException.class,
          () -> JdbcUsageStore.builder().url(url).user("tw").password(PASSWORD).connectTimeout(Duration.ofSeconds(1))
              .build());
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(e.getMessage())
          .contains("cannot connect to database jdbc:postgresql://127.0.0.1:" + port + "/usage?user=tw&password=***")
          .contains("within 1000 ms");
      assertThat(took).as("fails near the 1 s timeout").isLessThan(Duration.ofSeconds(8));
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(PASSWORD).doesNotContain(URL_PASSWORD);
      assertThat(logs.text()).doesNotContain(PASSWORD).doesNotContain(URL_PASSWORD);
    }
  }

  @Test
  void masksPasswordsInEveryUrlForm() {
    assertThat(JdbcUrls.mask("jdbc:postgresql://h/db?password=x&user=u")).isEqualTo("jdbc:postgresql://h/db?password=***&user=u");
    assertThat(JdbcUrls.mask("jdbc:postgresql://h/db?user=u&PASSWORD=x")).isEqualTo("jdbc:postgresql://h/db?user=u&PASSWORD=***");
    assertThat(JdbcUrls.mask("jdbc:h2:file:/d/db;USER=sa;PASSWORD=x;MODE=PostgreSQL"))
        .isEqualTo("jdbc:h2:file:/d/db;USER=sa;PASSWORD=***;MODE=PostgreSQL");
    assertThat(JdbcUrls.mask("jdbc:postgresql://u:x@h:5432/db")).isEqualTo("jdbc:postgresql://u:***@h:5432/db");
    assertThat(JdbcUrls.mask("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
