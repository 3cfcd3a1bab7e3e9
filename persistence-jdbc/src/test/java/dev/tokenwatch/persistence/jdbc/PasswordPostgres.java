package dev.tokenwatch.persistence.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A second embedded PostgreSQL that checks passwords (scram-sha-256) for every role but the
 * superuser: the default server trusts every connection, so a wrong password would go unnoticed.
 * Role {@value #ROLE} has password {@value #ROLE_PASSWORD}. Started on first use, stopped by its
 * shutdown hook.
 */
public final class PasswordPostgres {

  public static final String ROLE = "tw_app";
  public static final String ROLE_PASSWORD = "right-Passw0rd";
  private static EmbeddedPostgres server;

  private PasswordPostgres() {}

  public static synchronized EmbeddedPostgres get() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().setDataDirectoryCustomizer(dir -> {
          try {
            Files.writeString(dir.toPath().resolve("pg_hba.conf"), """
                local all all trust
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128 trust
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256
                """);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }).start();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
          st.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + ROLE_PASSWORD + "'");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("starting the password-checking PostgreSQL failed", e);
      } catch (SQLException e) {
        throw new IllegalStateException("creating role " + ROLE + " failed", e);
      }
    }
    return server;
  }

  /** {@code jdbc:postgresql://localhost:<port>/<database>} without credentials. */
  public static String url(String database) {
    return "jdbc:postgresql://localhost:" + get().getPort() + "/" + database;
  }
}
