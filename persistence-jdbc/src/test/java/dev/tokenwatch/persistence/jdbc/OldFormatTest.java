package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A database written by the version before the ledger (its Flyway migration, kept as a test
 * resource, with an event in it): opening it fails with a message naming the database, without its
 * password, and what to do; nothing in it changes and no ledger table is created.
 */
class OldFormatTest {

  private static final String SECRET = "old-Format-Secret";

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aDatabaseOfTheFormerFormatIsRefusedAndLeftUntouched(String database) throws SQLException {
    String url = "h2".equals(database)
        ? "jdbc:h2:file:" + dir.resolve("old").toAbsolutePath() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
        : EmbeddedPostgresServer.newDatabase("old");
    String user = "h2".equals(database) ? "sa" : EmbeddedPostgresServer.USER;
    Flyway.configure().dataSource(url, user, "").locations("classpath:old-format").schemas("public")
        .defaultSchema("public").table("tokenwatch_schema_history")
        .placeholders(Map.of("schema", "public", "prefix", "tokenwatch_")).load().migrate();
    try (Connection c = DriverManager.getConnection(url, user, ""); Statement st = c.createStatement()) {
      st.execute("INSERT INTO public.tokenwatch_usage_events (seq, budget, request_id, period_start, model, "
          + "input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, total_tokens, occurred_at, "
          + "occurred_nanos) VALUES (1, 'b', 'r1', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00', 'm', 1, 2, 0, "
          + "0, 3, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:01+00', 0)");
    }
    List<String> before = contents(url, user);

    String withSecret = "h2".equals(database) ? url : url + "&password=" + SECRET;
    JdbcUsageStoreException e = catchThrowableOfType(JdbcUsageStoreException.class,
        () -> JdbcUsageStore.builder().url(withSecret).user(user).password("h2".equals(database) ? "" : SECRET)
            .build());

    assertThat(e.getMessage())
        .contains(JdbcUrls.mask(JdbcUrls.withH2Defaults(withSecret)))
        .contains("older tokenwatch version", "tokenwatch_usage_events", "left untouched",
            "tokenwatch history --json", "tokenwatch ingest --format tokenwatch")
        .doesNotContain(SECRET);
    assertThat(contents(url, user)).as("tables, rows and Flyway history as they were").isEqualTo(before);
    assertThat(before).noneMatch(line -> line.contains("ledger"));
  }

  /** Every table of schema public with its row count, and the Flyway history rows. */
  private static List<String> contents(String url, String user) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, user, ""); Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables "
          + "WHERE LOWER(table_schema) = 'public' ORDER BY table_name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM public." + table)) {
          rs.next();
          lines.add(table + " " + rs.getLong(1));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT version, description, checksum, success "
          + "FROM public.tokenwatch_schema_history ORDER BY installed_rank")) {
        while (rs.next()) {
          lines.add("history " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
        }
      }
    }
    return lines;
  }
}
