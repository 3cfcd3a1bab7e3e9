package dev.tokenwatch.persistence.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.ModelTotals;
import dev.tokenwatch.domain.port.PeriodTotals;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A {@link UsageStore} in a SQL database: PostgreSQL 13 or newer (many processes sharing one
 * budget) or H2 2.x (embedded, in a file). Every operation is one transaction of atomic statements
 * ({@code SET used = used + ?}, {@code INSERT ... ON CONFLICT DO NOTHING}, row locks), so any number
 * of store instances, in any number of processes, can write to one budget: totals stay exact and
 * each threshold is claimed once. Conflicts between concurrent writers (deadlocks, serialization
 * failures, lock timeouts) are retried inside the store. Concurrent {@code record} calls on one
 * instance share transactions (group commit), each with its own result.
 *
 * <p>Build one with {@link #builder()} (the store owns a HikariCP pool) or {@link
 * #forDataSource(DataSource)} (the caller's pool). The schema is created and migrated by Flyway on
 * start unless {@link Builder#migrate(boolean) migrate(false)}. Every event is kept as a row (the
 * audit trail), so the {@code historySize} argument of {@link #record} is not needed. Failures
 * surface as {@link JdbcUsageStoreException}.
 */
public final class JdbcUsageStore implements UsageStore {

  private static final Logger LOG = LogManager.getLogger(JdbcUsageStore.class);

  /** The default table prefix. */
  public static final String DEFAULT_TABLE_PREFIX = "tokenwatch_";
  /** The default time to wait for a connection, at start and for each operation. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** The default size of the pool the store creates. */
  public static final int DEFAULT_POOL_SIZE = 4;

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  private final String description;
  private final Statements sql;
  private final Transactions transactions;
  private final GroupCommit groupCommit;
  private final UsageKeys keys;

  private JdbcUsageStore(DataSource dataSource, HikariDataSource ownedPool, String description, Statements sql) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    this.description = description;
    this.sql = sql;
    this.transactions = new Transactions(dataSource);
    this.groupCommit = new GroupCommit(transactions);
    this.keys = new UsageKeys(sql);
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A store on the caller's data source (its pool, its credentials), with the default schema and
   * table prefix, migrated on start. {@link #close()} leaves the data source open.
   */
  public static JdbcUsageStore forDataSource(DataSource dataSource) {
    return builder().dataSource(dataSource).build();
  }

  @Override
  public RecordResult record(String budget, Instant currentPeriodStart, List<ChargedEvent> events, int historySize) {
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(currentPeriodStart, "currentPeriodStart");
    Objects.requireNonNull(events, "events");
    RecordOperation operation = new RecordOperation(sql, keys, budget, currentPeriodStart, events);
    return groupCommit.record("recording " + events.size() + " event(s) for budget '" + budget + "'", operation,
        events.size());
  }

  @Override
  public boolean claimThreshold(String budget, Instant periodStart, double threshold) {
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(periodStart, "periodStart");
    if (!(threshold > 0 && threshold <= 10.0)) {
      throw new IllegalArgumentException("threshold must be in (0, 10], got " + threshold);
    }
    return transactions.run("claiming threshold " + threshold + " of budget '" + budget + "'", connection -> {
      // Claims of one period are serialised on its row, so "no higher claim yet" stays true until commit.
      UsageKeys.Key periodKey = new UsageKeys.Key(budget, periodStart, UsageKeys.PERIOD);
      long periodId = keys.id(connection, periodKey);
      try (PreparedStatement ps = connection.prepareStatement(sql.insertPeriod)) {
        ps.setLong(1, periodId);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = connection.prepareStatement(sql.lockPeriod)) {
        ps.setLong(1, periodId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            // Reset since, or the cached key id's row was never committed.
            keys.evict(periodKey);
            throw new Transactions.ConcurrentChangeException("the period was reset while claiming a threshold");
          }
        }
      }
      try (PreparedStatement ps = connection.prepareStatement(sql.highestClaim)) {
        bindBudgetPeriod(ps, budget, periodStart);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          double highest = rs.getDouble(1);
          if (!rs.wasNull() && highest >= threshold) {
            return false;
          }
        }
      }
      try (PreparedStatement ps = connection.prepareStatement(sql.insertClaim)) {
        bindBudgetPeriod(ps, budget, periodStart);
        ps.setDouble(3, threshold);
        Statements.setInstant(ps, 4, Instant.now());
        ps.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public SortedSet<Double> claimedThresholds(String budget, Instant periodStart) {
    return transactions.run("reading claimed thresholds of budget '" + budget + "'", connection -> {
      TreeSet<Double> claimed = new TreeSet<>();
      try (PreparedStatement ps = connection.prepareStatement(sql.claimedThresholds)) {
        bindBudgetPeriod(ps, budget, periodStart);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            claimed.add(rs.getDouble(1));
          }
        }
      }
      return Collections.unmodifiableSortedSet(claimed);
    });
  }

  @Override
  public PeriodTotals periodTotals(String budget, Instant periodStart) {
    return transactions.run("reading totals of budget '" + budget + "'", connection -> {
      try (PreparedStatement ps = connection.prepareStatement(sql.periodTotals)) {
        bindBudgetPeriod(ps, budget, periodStart);
        List<PeriodTotals> periods = readTotals(ps);
        return periods.isEmpty() ? PeriodTotals.empty(periodStart) : periods.get(0);
      }
    });
  }

  @Override
  public List<PeriodTotals> periodTotalsBetween(String budget, Instant fromInclusive, Instant toExclusive) {
    return transactions.run("reading totals of budget '" + budget + "'", connection -> {
      try (PreparedStatement ps = connection.prepareStatement(sql.periodTotalsBetween)) {
        ps.setString(1, budget);
        Statements.setInstant(ps, 2, fromInclusive);
        Statements.setInstant(ps, 3, toExclusive);
        return readTotals(ps);
      }
    });
  }

  /** Reads totals rows ordered by period start into one {@link PeriodTotals} per period. */
  private static List<PeriodTotals> readTotals(PreparedStatement ps) throws SQLException {
    List<PeriodTotals> result = new ArrayList<>();
    Instant period = null;
    List<ModelTotals> models = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Instant start = Statements.getInstant(rs, 1);
        if (period != null && !period.equals(start)) {
          result.add(new PeriodTotals(period, models));
          models = new ArrayList<>();
        }
        period = start;
        models.add(new ModelTotals(rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
            rs.getLong(7), rs.getLong(8)));
      }
    }
    if (period != null) {
      result.add(new PeriodTotals(period, models));
    }
    return result;
  }

  @Override
  public List<TokenUsageEvent> history(String budget, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, got " + limit);
    }
    return transactions.run("reading history of budget '" + budget + "'", connection -> {
      List<TokenUsageEvent> newestFirst = new ArrayList<>(Math.min(limit, 1024));
      try (PreparedStatement ps = connection.prepareStatement(sql.history)) {
        ps.setString(1, budget);
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            newestFirst.add(Statements.readEvent(rs));
          }
        }
      }
      Collections.reverse(newestFirst);
      return newestFirst;
    });
  }

  @Override
  public void resetPeriod(String budget, Instant periodStart) {
    transactions.run("resetting a period of budget '" + budget + "'", connection -> {
      // The order in which record and claimThreshold take row locks (events, period row, totals rows: the
      // counters in key id order, the period's key being older than its models'; period row, claims), so a
      // reset waits for them rather than deadlocking with them.
      for (String delete : List.of(sql.deletePeriodEvents, sql.deletePeriodCounters, sql.deletePeriodClaims)) {
        try (PreparedStatement ps = connection.prepareStatement(delete)) {
          bindBudgetPeriod(ps, budget, periodStart);
          ps.executeUpdate();
        }
      }
      return null;
    });
  }

  private static void bindBudgetPeriod(PreparedStatement ps, String budget, Instant periodStart) throws SQLException {
    ps.setString(1, budget);
    Statements.setInstant(ps, 2, periodStart);
  }

  /** Closes the pool if this store created it; a caller's data source stays open. */
  @Override
  public void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  /** Names the database (password masked), schema and prefix. */
  @Override
  public String toString() {
    return "JdbcUsageStore[" + description + "]";
  }

  /** The key ids this store has cached. */
  UsageKeys usageKeys() {
    return keys;
  }

  /** The data source the store runs on (its own pool or the caller's). */
  DataSource dataSource() {
    return dataSource;
  }

  /**
   * Builds a {@link JdbcUsageStore} from a JDBC URL (the store creates and owns a HikariCP pool) or
   * from a caller's {@link DataSource}.
   */
  public static final class Builder {
    private String url;
    private String user;
    private String password;
    private DataSource dataSource;
    private String schema;
    private String tablePrefix = DEFAULT_TABLE_PREFIX;
    private boolean migrate = true;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private int poolSize = DEFAULT_POOL_SIZE;

    private Builder() {}

    /**
     * The JDBC URL: {@code jdbc:postgresql://host:5432/db} or {@code jdbc:h2:file:/path/db}. H2 URLs
     * get PostgreSQL compatibility mode and, for files, {@code AUTO_SERVER=TRUE} unless they set
     * these themselves.
     */
    public Builder url(String value) {
      this.url = value;
      return this;
    }

    /** The database user. */
    public Builder user(String value) {
      this.user = value;
      return this;
    }

    /** The password; never logged or shown in messages. */
    public Builder password(String value) {
      this.password = value;
      return this;
    }

    /** Use the caller's data source instead of a URL; the store does not close it. */
    public Builder dataSource(DataSource value) {
      this.dataSource = value;
      return this;
    }

    /** The schema of the tables (created if missing); default: the connection's current schema. */
    public Builder schema(String value) {
      this.schema = value;
      return this;
    }

    /** Prefix of every table name, {@code [A-Za-z_][A-Za-z0-9_]*}, default {@value JdbcUsageStore#DEFAULT_TABLE_PREFIX}. */
    public Builder tablePrefix(String value) {
      this.tablePrefix = value;
      return this;
    }

    /** Whether to apply the Flyway migrations on start (default true). */
    public Builder migrate(boolean value) {
      this.migrate = value;
      return this;
    }

    /** How long to wait for a connection, at start and for each operation (default 10 s, at least 250 ms). */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = value;
      return this;
    }

    /** Size of the pool the store creates (default {@value JdbcUsageStore#DEFAULT_POOL_SIZE}). */
    public Builder poolSize(int value) {
      this.poolSize = value;
      return this;
    }

    /**
     * Connects, checks the database, migrates the schema (unless disabled) and returns the store.
     *
     * @throws IllegalArgumentException if a setting is invalid
     * @throws JdbcUsageStoreException if the database cannot be reached within the connect
     *     timeout, is not supported, or lacks the tables with migration disabled
     */
    public JdbcUsageStore build() {
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
      if (dataSource != null) {
        return open(dataSource, null, "dataSource=" + dataSource.getClass().getName());
      }
      String effectiveUrl = JdbcUrls.withH2Defaults(url);
      String maskedUrl = JdbcUrls.mask(effectiveUrl);
      HikariDataSource pool = createPool(effectiveUrl, maskedUrl);
      try {
        return open(pool, pool, "url=" + maskedUrl);
      } catch (RuntimeException e) {
        pool.close();
        throw e;
      }
    }

    private HikariDataSource createPool(String effectiveUrl, String maskedUrl) {
      HikariConfig config = new HikariConfig();
      config.setPoolName("tokenwatch-jdbc");
      config.setJdbcUrl(effectiveUrl);
      config.setUsername(user);
      config.setPassword(password);
      config.setMaximumPoolSize(poolSize);
      config.setAutoCommit(false);
      config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
      long timeoutMillis = connectTimeout.toMillis();
      config.setConnectionTimeout(timeoutMillis);
      config.setValidationTimeout(Math.max(250, Math.min(5_000, timeoutMillis - 1)));
      config.setInitializationFailTimeout(timeoutMillis);
      if (!JdbcUrls.isH2(effectiveUrl)) {
        String seconds = Long.toString(Math.max(1, (timeoutMillis + 999) / 1000));
        config.addDataSourceProperty("connectTimeout", seconds);
        config.addDataSourceProperty("loginTimeout", seconds);
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "tokenwatch");
      }
      try {
        return new HikariDataSource(config);
      } catch (RuntimeException e) {
        String reason = JdbcUrls.scrub(rootMessage(e), password);
        throw new JdbcUsageStoreException("cannot connect to database " + maskedUrl + " within "
            + timeoutMillis + " ms: " + reason, scrubbed(e, password));
      }
    }

    private JdbcUsageStore open(DataSource source, HikariDataSource ownedPool, String description) {
      SqlNames names;
      Dialect dialect;
      String foldedSchema;
      String foldedPrefix;
      try (Connection connection = source.getConnection()) {
        dialect = Dialect.of(connection);
        DatabaseMetaData meta = connection.getMetaData();
        String effectiveSchema = schema != null ? schema : currentSchema(connection);
        names = new SqlNames(effectiveSchema, tablePrefix);
        foldedSchema = fold(meta, names.schema);
        foldedPrefix = fold(meta, names.prefix);
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
      } catch (SQLException e) {
        throw new JdbcUsageStoreException("cannot open the usage store on " + description + ": "
            + JdbcUrls.scrub(e.getMessage(), password), scrubbed(e, password));
      }
      if (migrate) {
        try {
          Migrations.migrate(source, foldedSchema, foldedPrefix, names);
        } catch (RuntimeException e) {
          throw new JdbcUsageStoreException("migrating the usage tables in schema '" + names.schema + "' on "
              + description + " failed: " + JdbcUrls.scrub(rootMessage(e), password), scrubbed(e, password));
        }
      }
      Statements statements = new Statements(names, dialect);
      String fullDescription = description + ", dialect=" + dialect + ", schema=" + names.schema
          + ", tablePrefix=" + names.prefix;
      JdbcUsageStore store = new JdbcUsageStore(source, ownedPool, fullDescription, statements);
      store.transactions.run("checking the usage tables on " + description, connection -> {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(statements.probeTables)) {
          rs.next();
          return null;
        } catch (SQLException e) {
          throw new SQLException("the usage tables " + names.prefix + "* are missing or unreadable in schema '"
              + names.schema + "'" + (migrate ? "" : " (migrations are disabled: enable them or apply them)")
              + ": " + e.getMessage(), e.getSQLState(), e);
        }
      });
      LOG.info("Usage store ready: {}", store);
      return store;
    }

    private static String currentSchema(Connection connection) throws SQLException {
      String current = connection.getSchema();
      return current == null ? "public" : current;
    }

    /** The identifier as the database stores it unquoted (Flyway quotes the names it is given). */
    private static String fold(DatabaseMetaData meta, String identifier) throws SQLException {
      if (meta.storesLowerCaseIdentifiers()) {
        return identifier.toLowerCase(Locale.ROOT);
      }
      if (meta.storesUpperCaseIdentifiers()) {
        return identifier.toUpperCase(Locale.ROOT);
      }
      return identifier;
    }
  }

  private static String rootMessage(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !text.toString().contains(c.getMessage())) {
        text.append(": ").append(c.getMessage());
      }
    }
    return text.toString();
  }

  /**
   * {@code e} itself if no message in its chain contains the password, otherwise a copy of the chain
   * with the password masked (same types' names and stack traces kept in the messages).
   */
  private static Throwable scrubbed(Throwable e, String password) {
    boolean leaks = false;
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (password != null && !password.isEmpty() && c.getMessage() != null && c.getMessage().contains(password)) {
        leaks = true;
      }
    }
    if (!leaks) {
      return e;
    }
    JdbcUsageStoreException copy = new JdbcUsageStoreException(
        e.getClass().getName() + ": " + JdbcUrls.scrub(e.getMessage(), password),
        e.getCause() == null ? null : scrubbed(e.getCause(), password));
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }
}
