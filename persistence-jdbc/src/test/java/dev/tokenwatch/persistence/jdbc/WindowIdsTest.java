package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A cached window id whose key row was never committed (the transaction that inserted it rolled
 * back): records and claims must notice, forget it and count into a row with a committed key, on
 * both databases.
 */
class WindowIdsTest {

  private static final Instant PERIOD = Instant.parse("2026-07-01T00:00:00Z");
  private static final BudgetWindow WINDOW = new BudgetWindow("team", PERIOD, Instant.parse("2026-08-01T00:00:00Z"),
      UsageFilter.ANY);

  @TempDir
  Path dir;

  private JdbcUsageStore open(String database) {
    if ("h2".equals(database)) {
      return JdbcUsageStore.builder().url("jdbc:h2:file:" + dir.resolve("ids").toAbsolutePath()).user("sa").build();
    }
    return JdbcUsageStore.builder().url(EmbeddedPostgresServer.newDatabase("ids")).user(EmbeddedPostgresServer.USER)
        .build();
  }

  private static TokenUsageEvent event(long tokens, String requestId) {
    return TokenUsageEvent.builder("m").inputTokens(tokens).timestamp(PERIOD.plusSeconds(tokens)).requestId(requestId)
        .build();
  }

  private static final BudgetWindow NEXT = new BudgetWindow("team", Instant.parse("2026-08-01T00:00:00Z"),
      Instant.parse("2026-09-01T00:00:00Z"), UsageFilter.ANY);

  private static long cacheRolledBackId(JdbcUsageStore store, BudgetWindow window) throws SQLException {
    try (Connection c = store.dataSource().getConnection()) {
      c.setAutoCommit(false);
      long id = store.windowIds().id(c, window);
      store.windowIds().sawTotals(id);
      c.rollback();
      return id;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void recordsAndClaimsReplaceAnIdWhoseRowWasRolledBack(String database) throws SQLException {
    try (JdbcUsageStore store = open(database)) {
      long stale = cacheRolledBackId(store, WINDOW);

      assertThat(store.record(List.of(event(7, "a")), List.of(WINDOW)).windowTotals().get(0).totalTokens())
          .isEqualTo(7);
      assertThat(store.record(List.of(event(5, "b"), event(11, "c")), List.of(WINDOW)).windowTotals().get(0)
          .totalTokens()).isEqualTo(23);
      assertThat(store.windowTotals(WINDOW).calls()).isEqualTo(3);
      assertThat(store.windowIds().cached(WINDOW)).isNotEqualTo(stale);

      long staleNext = cacheRolledBackId(store, NEXT);
      assertThat(store.claimThreshold(NEXT, 0.5)).isTrue();
      assertThat(store.claimThreshold(NEXT, 0.5)).isFalse();
      assertThat(store.claimedThresholds(NEXT)).containsExactly(0.5);
      assertThat(store.windowIds().cached(NEXT)).isNotEqualTo(staleNext);
    }
  }
}
