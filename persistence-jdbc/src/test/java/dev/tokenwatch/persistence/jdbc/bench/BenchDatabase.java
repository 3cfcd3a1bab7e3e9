package dev.tokenwatch.persistence.jdbc.bench;

import dev.tokenwatch.persistence.jdbc.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh database for one benchmark trial: an H2 file in a new temporary directory, or a new
 * database on the embedded PostgreSQL server of the tests (one per JVM, default zonky settings, which
 * include {@code synchronous_commit=off}: commits are round-trip bound, the harder case for the
 * store's extra statements).
 */
final class BenchDatabase {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  final String url;
  final String user;

  private BenchDatabase(String url, String user) {
    this.url = url;
    this.user = user;
  }

  static BenchDatabase create(String kind) {
    int n = COUNTER.incrementAndGet();
    switch (kind) {
      case "h2":
        try {
          Path dir = Files.createTempDirectory("tokenwatch-bench");
          dir.toFile().deleteOnExit();
          return new BenchDatabase("jdbc:h2:file:" + dir.resolve("bench").toAbsolutePath(), "sa");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      case "postgresql":
        return new BenchDatabase(EmbeddedPostgresServer.newDatabase("bench"), EmbeddedPostgresServer.USER);
      default:
        throw new IllegalArgumentException("database must be h2 or postgresql, got " + kind);
    }
  }
}
