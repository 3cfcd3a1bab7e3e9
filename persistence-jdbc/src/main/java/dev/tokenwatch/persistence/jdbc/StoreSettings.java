package dev.tokenwatch.persistence.jdbc;

import java.time.Duration;
import javax.sql.DataSource;

/**
 * What a {@link JdbcUsageStore.Builder} was given, validated (every setting but the URL's contents,
 * which {@link UrlConnector} checks). Not a record: its {@code toString} would show the password.
 */
final class StoreSettings {

  final String url;
  final String user;
  final String password;
  final DataSource dataSource;
  final String schema;
  final String tablePrefix;
  final boolean migrate;
  final Duration connectTimeout;
  final int poolSize;

  /** @throws IllegalArgumentException naming the setting and its value, if one is invalid */
  StoreSettings(String url, String user, String password, DataSource dataSource, String schema, String tablePrefix,
      boolean migrate, Duration connectTimeout, int poolSize) {
    if (tablePrefix == null) {
      throw new IllegalArgumentException("tablePrefix must not be null");
    }
    SqlNames.requireIdentifier("tablePrefix", tablePrefix, SqlNames.MAX_PREFIX_LENGTH);
    if (schema != null) {
      SqlNames.requireIdentifier("schema", schema, SqlNames.MAX_SCHEMA_LENGTH);
    }
    if (connectTimeout == null || connectTimeout.toMillis() < 250) {
      throw new IllegalArgumentException("connectTimeout must be at least 250 ms, got " + connectTimeout);
    }
    if (poolSize < 1 || poolSize > 1000) {
      throw new IllegalArgumentException("poolSize must be between 1 and 1000, got " + poolSize);
    }
    if ((url == null) == (dataSource == null)) {
      throw new IllegalArgumentException("set exactly one of url and dataSource");
    }
    this.url = url;
    this.user = user;
    this.password = password;
    this.dataSource = dataSource;
    this.schema = schema;
    this.tablePrefix = tablePrefix;
    this.migrate = migrate;
    this.connectTimeout = connectTimeout;
    this.poolSize = poolSize;
  }
}
