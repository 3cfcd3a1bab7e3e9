package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.PeriodTotals;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cached key ids whose rows were never committed (the transaction that inserted them rolled back):
 * the store must notice, forget them and count into rows with committed keys, on both databases.
 */
class UsageKeysTest {

  private static final String BUDGET = "team";
  private static final Instant PERIOD = Instant.parse("2026-07-01T00:00:00Z");

  @TempDir
  Path dir;

  private JdbcUsageStore open(String database) {
    if ("h2".equals(database)) {
      return JdbcUsageStore.builder().url("jdbc:h2:file:" + dir.resolve("keys").toAbsolutePath()).user("sa").build();
    }
    return JdbcUsageStore.builder().url(EmbeddedPostgresServer.newDatabase("keys")).user(EmbeddedPostgresServer.USER)
        .build();
  }

  private static ChargedEvent event(String model, long tokens, String requestId) {
    return new ChargedEvent(TokenUsageEvent.builder(model).inputTokens(tokens).timestamp(PERIOD.plusSeconds(tokens))
        .requestId(requestId).build(), PERIOD);
  }

  /** Caches the ids of the period's key and of {@code models}' keys from inserts that are then rolled back. */
  private static long[] cacheRolledBackIds(JdbcUsageStore store, String... models) throws SQLException {
    long[] ids = new long[models.length + 1];
    try (Connection c = store.dataSource().getConnection()) {
      c.setAutoCommit(false);
      ids[0] = store.usageKeys().id(c, new UsageKeys.Key(BUDGET, PERIOD, UsageKeys.PERIOD));
      for (int i = 0; i < models.length; i++) {
        ids[i + 1] = store.usageKeys().id(c, new UsageKeys.Key(BUDGET, PERIOD, models[i]));
      }
      c.rollback();
    }
    return ids;
  }

  private static long committedId(JdbcUsageStore store, String model) throws SQLException {
    try (Connection c = store.dataSource().getConnection()) {
      c.setAutoCommit(false);
      store.usageKeys().evict(new UsageKeys.Key(BUDGET, PERIOD, model));
      long id = store.usageKeys().id(c, new UsageKeys.Key(BUDGET, PERIOD, model));
      c.rollback();
      return id;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void recordsReplaceIdsWhoseRowsWereRolledBack(String database) throws SQLException {
    try (JdbcUsageStore store = open(database)) {
      long[] stale = cacheRolledBackIds(store, "m1", "m2");

      // One event (the single-event path), then a batch over both models (the general path).
      assertThat(store.record(BUDGET, PERIOD, List.of(event("m1", 7, "a")), 10).currentPeriodUsed()).isEqualTo(7);
      assertThat(store.record(BUDGET, PERIOD, List.of(event("m1", 5, "b"), event("m2", 11, "c")), 10)
          .currentPeriodUsed()).isEqualTo(23);

      PeriodTotals totals = store.periodTotals(BUDGET, PERIOD);
      assertThat(totals.used()).isEqualTo(23);
      assertThat(totals.calls()).isEqualTo(3);
      assertThat(committedId(store, UsageKeys.PERIOD)).isNotEqualTo(stale[0]);
      assertThat(committedId(store, "m1")).isNotEqualTo(stale[1]);
      assertThat(committedId(store, "m2")).isNotEqualTo(stale[2]);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void claimsReplaceAPeriodIdWhoseRowWasRolledBack(String database) throws SQLException {
    try (JdbcUsageStore store = open(database)) {
      long[] stale = cacheRolledBackIds(store);

      assertThat(store.claimThreshold(BUDGET, PERIOD, 0.5)).isTrue();
      assertThat(store.claimThreshold(BUDGET, PERIOD, 0.5)).isFalse();
      assertThat(store.claimedThresholds(BUDGET, PERIOD)).containsExactly(0.5);
      assertThat(committedId(store, UsageKeys.PERIOD)).isNotEqualTo(stale[0]);
      // The period row the claim created is the one records count into.
      assertThat(store.record(BUDGET, PERIOD, List.of(event("m1", 9, "a")), 10).currentPeriodUsed()).isEqualTo(9);
      assertThat(store.periodTotals(BUDGET, PERIOD).used()).isEqualTo(9);
    }
  }
}
