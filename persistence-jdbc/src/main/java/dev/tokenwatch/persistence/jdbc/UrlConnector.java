package dev.tokenwatch.persistence.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeoutException;

/**
 * Opens a store from a JDBC URL: refuses unsafe or misleading URLs, adds the H2 settings the store
 * relies on, prepares an H2 file for its owner only and takes tokenwatch's lock on it, opens the first
 * connection itself ({@link FirstConnection}: what waiting cannot fix fails at once), creates the
 * HikariCP pool the store owns, and opens the ledger on it ({@link LedgerOpener}). Every secret is
 * masked in every message.
 */
final class UrlConnector {

  private final StoreSettings settings;

  private UrlConnector(StoreSettings settings) {
    this.settings = settings;
  }

  /** The store on {@code settings.url}, owning its pool (and the H2 file's lock). */
  static JdbcUsageStore open(StoreSettings settings) {
    return new UrlConnector(settings).open();
  }

  private JdbcUsageStore open() {
    String url = settings.url;
    JdbcUrls.rejectUnsafeH2Settings(url);
    if (JdbcUrls.hasUserInfo(url)) {
      throw new IllegalArgumentException("url " + JdbcUrls.mask(url) + " carries user:password@ before the host, "
          + "which JDBC drivers do not read (the PostgreSQL driver takes it for the host name): set the user and "
          + "password separately");
    }
    String effectiveUrl = JdbcUrls.withH2Defaults(url);
    String maskedUrl = JdbcUrls.mask(effectiveUrl);
    List<String> secrets = secrets();
    Optional<Path> h2File = JdbcUrls.h2File(effectiveUrl);
    if (h2File.isPresent()) {
      H2Files.prepare(h2File.get());
    }
    Properties properties = connectionProperties(JdbcUrls.isH2(effectiveUrl));
    long start = System.nanoTime();
    H2ProcessLock processLock = h2File.isPresent() ? lockH2File(h2File.get()) : null;
    try {
      // The first connection is opened here, not by the pool: errors a retry cannot fix (wrong password,
      // unknown database) fail at once, and an H2 file another program holds is awaited for the timeout.
      try (Connection first = FirstConnection.open(effectiveUrl, properties, settings.connectTimeout, start, maskedUrl,
          settings.user, secrets, h2File)) {
        HikariDataSource pool = createPool(effectiveUrl, maskedUrl, properties, secrets);
        try {
          JdbcUsageStore store = LedgerOpener.open(settings, pool, pool, "url=" + maskedUrl, secrets, processLock);
          h2File.ifPresent(H2Files::restrict);
          return store;
        } catch (RuntimeException e) {
          pool.close();
          throw e;
        }
      } catch (SQLException e) {
        throw new JdbcUsageStoreException("closing the first connection to database " + maskedUrl + " failed: "
            + Errors.describe(e, secrets), Errors.scrubbed(e, secrets));
      }
    } catch (RuntimeException e) {
      closeAfterFailure(processLock, e);
      throw e;
    }
  }

  /** Waits (up to the connect timeout) until no other tokenwatch process has the H2 file open. */
  private H2ProcessLock lockH2File(Path database) {
    long start = System.nanoTime();
    try {
      return H2ProcessLock.acquire(database, settings.connectTimeout);
    } catch (TimeoutException e) {
      throw new JdbcUsageStoreException(FirstConnection.inUse(database,
          Duration.ofNanos(System.nanoTime() - start).toMillis()));
    } catch (IOException e) {
      throw new JdbcUsageStoreException("cannot lock " + H2Files.file(database, H2ProcessLock.SUFFIX)
          + " (tokenwatch's lock on the H2 database): " + e, e);
    }
  }

  private static void closeAfterFailure(H2ProcessLock processLock, RuntimeException failure) {
    if (processLock != null) {
      try {
        processLock.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }

  /** The builder's password and any secret the URL carries, to be masked in every message. */
  private List<String> secrets() {
    List<String> secrets = new ArrayList<>(JdbcUrls.secretsIn(settings.url));
    if (settings.password != null && !settings.password.isEmpty()) {
      secrets.add(settings.password);
    }
    return List.copyOf(secrets);
  }

  /** User, password and, for PostgreSQL, the driver's own timeouts, for the first connection and the pool. */
  private Properties connectionProperties(boolean h2) {
    Properties properties = new Properties();
    if (settings.user != null) {
      properties.setProperty("user", settings.user);
    }
    if (settings.password != null) {
      properties.setProperty("password", settings.password);
    }
    if (!h2) {
      String seconds = Long.toString(Math.max(1, (settings.connectTimeout.toMillis() + 999) / 1000));
      properties.setProperty("connectTimeout", seconds);
      properties.setProperty("loginTimeout", seconds);
      properties.setProperty("tcpKeepAlive", "true");
      properties.setProperty("ApplicationName", "tokenwatch");
    }
    return properties;
  }

  private HikariDataSource createPool(String effectiveUrl, String maskedUrl, Properties properties,
      List<String> secrets) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("tokenwatch-jdbc");
    config.setJdbcUrl(effectiveUrl);
    config.setUsername(settings.user);
    config.setPassword(settings.password);
    config.setMaximumPoolSize(settings.poolSize);
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    long timeoutMillis = settings.connectTimeout.toMillis();
    config.setConnectionTimeout(timeoutMillis);
    config.setValidationTimeout(Math.max(250, Math.min(5_000, timeoutMillis - 1)));
    config.setInitializationFailTimeout(timeoutMillis);
    properties.forEach((key, value) -> {
      if (!key.equals("user") && !key.equals("password")) {
        config.addDataSourceProperty((String) key, value);
      }
    });
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      String reason = JdbcUrls.scrub(Errors.rootMessage(e), secrets);
      throw new JdbcUsageStoreException("cannot connect to database " + maskedUrl + " within "
          + timeoutMillis + " ms: " + reason, Errors.scrubbed(e, secrets));
    }
  }
}
