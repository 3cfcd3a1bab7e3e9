package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.UsageQuery;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Builder settings, names, the caller's data source and H2 specifics. */
class ConfigurationTest {

  private static final Instant PERIOD = Instant.parse("2026-05-01T00:00:00Z");

  @TempDir
  Path dir;

  private String h2Url(String name) {
    return "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath();
  }

  private static TokenUsageEvent event(long tokens, String requestId) {
    return TokenUsageEvent.builder("m").inputTokens(tokens).timestamp(PERIOD).requestId(requestId).build();
  }

  private static long total(JdbcUsageStore store) {
    return store.query(UsageQuery.all()).total().totalTokens();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1abc", "a-b", "tw;DROP TABLE x", "a b", "ä"})
  void rejectsPrefixesOutsideThePattern(String prefix) {
    assertThatThrownBy(() -> JdbcUsageStore.builder().url(h2Url("p")).tablePrefix(prefix).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tablePrefix must match [A-Za-z_][A-Za-z0-9_]*, got \"" + prefix + "\"");
  }

  @Test
  void rejectsBadSchemaAndMissingOrDoubleSource() {
    assertThatThrownBy(() -> JdbcUsageStore.builder().url(h2Url("s")).schema("x.y").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema must match").hasMessageContaining("\"x.y\"");
    assertThatThrownBy(() -> JdbcUsageStore.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one of url and dataSource");
    assertThatThrownBy(() -> JdbcUsageStore.builder().url(h2Url("s")).tablePrefix("x".repeat(31)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 30 characters");
  }

  @Test
  void storesWithDifferentPrefixesOrSchemasInOneDatabaseAreIndependent() {
    String url = h2Url("shared");
    try (JdbcUsageStore a = JdbcUsageStore.builder().url(url).tablePrefix("team_a_").build();
        JdbcUsageStore b = JdbcUsageStore.builder().url(url).tablePrefix("team_b_").build();
        JdbcUsageStore c = JdbcUsageStore.builder().url(url).schema("Usage_Schema").build()) {
      a.record(List.of(event(5, "r")), List.of());
      b.record(List.of(event(7, "r")), List.of());
      c.record(List.of(event(9, "r")), List.of());
      assertThat(total(a)).isEqualTo(5);
      assertThat(total(b)).isEqualTo(7);
      assertThat(total(c)).isEqualTo(9);
      assertThat(c.toString()).contains("schema=Usage_Schema", "tablePrefix=tokenwatch_", "AUTO_SERVER=TRUE");
    }
  }

  @Test
  void usesTheCallersDataSourceAndLeavesItOpen() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(h2Url("caller") + ";MODE=PostgreSQL");
    config.setUsername("sa");
    try (HikariDataSource callers = new HikariDataSource(config)) {
      try (JdbcUsageStore store = JdbcUsageStore.forDataSource(callers)) {
        store.record(List.of(event(5, null)), List.of());
        assertThat(total(store)).isEqualTo(5);
      }
      assertThat(callers.isClosed()).isFalse();
      try (var connection = callers.getConnection()) {
        assertThat(connection.getAutoCommit()).as("autocommit restored").isTrue();
      }
      try (JdbcUsageStore again = JdbcUsageStore.forDataSource(callers)) {
        assertThat(total(again)).isEqualTo(5);
      }
    }
  }

  @Test
  void rejectsH2WithoutPostgresMode() {
    JdbcDataSource plain = new JdbcDataSource();
    plain.setURL(h2Url("plain"));
    assertThatThrownBy(() -> JdbcUsageStore.forDataSource(plain))
        .isInstanceOf(JdbcUsageStoreException.class).hasMessageContaining("MODE=PostgreSQL");
  }

  @Test
  void withoutMigrationsAnEmptyDatabaseIsReportedClearly() {
    assertThatThrownBy(() -> JdbcUsageStore.builder().url(h2Url("empty")).migrate(false).build())
        .isInstanceOf(JdbcUsageStoreException.class)
        .hasMessageContaining("usage tables tokenwatch_* are missing")
        .hasMessageContaining("migrations are disabled");
  }

  @Test
  void passwordIsNeverShown() {
    String secret = "h2-Secret-pw";
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(h2Url("pw")).user("sa").password(secret).build()) {
      assertThat(store.toString()).doesNotContain(secret);
    }
    assertThatThrownBy(() -> JdbcUsageStore.builder().url(h2Url("pw")).user("sa").password("wrong-" + secret).build())
        .isInstanceOf(JdbcUsageStoreException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
  }
}
