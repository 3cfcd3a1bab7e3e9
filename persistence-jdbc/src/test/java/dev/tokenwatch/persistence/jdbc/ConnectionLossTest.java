package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.port.RecordResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL server stops mid-run and comes back on the same data directory and port. */
class ConnectionLossTest {

  private static final Instant PERIOD = Instant.parse("2026-04-01T00:00:00Z");
  private static final BudgetWindow WINDOW = new BudgetWindow("b", PERIOD, Instant.parse("2026-05-01T00:00:00Z"),
      UsageFilter.ANY);

  @TempDir
  Path dataDir;

  @Test
  void recordFailsWhileTheServerIsDownAndWorksAgainAfterwardsWithNothingCommittedLost() throws Exception {
    int port = freePort();
    EmbeddedPostgres server = start(port);
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(server.getJdbcUrl("postgres", "postgres"))
        .user("postgres").connectTimeout(Duration.ofSeconds(4)).build()) {
      for (int i = 0; i < 20; i++) {
        store.record(List.of(event("before-" + i)), List.of(WINDOW));
      }

      server.close();
      assertThatThrownBy(() -> store.record(List.of(event("during")), List.of(WINDOW)))
          .isInstanceOf(JdbcUsageStoreException.class)
          .hasMessageContaining("recording 1 event(s) failed");
      assertThatThrownBy(() -> store.windowTotals(WINDOW)).isInstanceOf(JdbcUsageStoreException.class);

      server = start(port);
      awaitAcceptingConnections(server);
      RecordResult again = store.record(List.of(event("before-3"), event("after-0")), List.of(WINDOW));
      assertThat(again.duplicates()).as("committed ids survived the restart").isEqualTo(1);
      assertThat(again.recorded()).isEqualTo(1);
      assertThat(again.windowTotals().get(0).totalTokens()).isEqualTo(21 * 10);
      assertThat(store.windowTotals(WINDOW).calls()).isEqualTo(21);
      assertThat(store.history(UsageFilter.ANY, 100)).extracting(TokenUsageEvent::requestId).doesNotContain("during");
    } finally {
      server.close();
    }
  }

  private EmbeddedPostgres start(int port) throws IOException {
    return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
  }

  /** The server may still be recovering ("starting up") when start() returns; "back" means it accepts sessions. */
  private static void awaitAcceptingConnections(EmbeddedPostgres server) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (Connection c = server.getPostgresDatabase().getConnection()) {
        return;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("restarted server does not accept connections", e);
        }
        Thread.sleep(100);
      }
    }
  }

  private static TokenUsageEvent event(String requestId) {
    return TokenUsageEvent.builder("m").inputTokens(6).outputTokens(4).timestamp(PERIOD.plusSeconds(5))
        .requestId(requestId).build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
