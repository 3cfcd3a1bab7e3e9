package dev.tokenwatch.persistence.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.ledger.UsageRow;
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
import javax.sql.DataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A {@link UsageStore} in a SQL database: PostgreSQL 13 or newer (many processes sharing one
 * ledger) or H2 2.x (embedded, in a file). The ledger is an events table (each request id once,
 * compared exactly) with 15-minute rollups and the budget windows' kept totals updated in the same
 * transaction; every operation is one transaction of atomic statements ({@code x = x + ?}, {@code
 * INSERT ... ON CONFLICT}, row locks), so any number of store instances, in any number of processes,
 * can write at once: totals stay exact and each threshold is claimed once. Conflicts between
 * concurrent writers (deadlocks, serialization failures, lock timeouts) are retried inside the store.
 * Concurrent {@code record} calls on one instance share transactions (group commit), each with its
 * own result.
 *
 * <p>Build one with {@link #builder()} (the store owns a HikariCP pool) or {@link
 * #forDataSource(DataSource)} (the caller's pool). The tables are created by Flyway on start unless
 * {@link Builder#migrate(boolean) migrate(false)}; a schema holding the tables of the format before
 * the ledger is refused and left untouched. Failures surface as {@link JdbcUsageStoreException}.
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
  private final WindowIds windowIds;
  private final Retention retention;
  private final WindowRows windows;
  private final Claims claims;
  private final LedgerMaintenance maintenance;

  private JdbcUsageStore(DataSource dataSource, HikariDataSource ownedPool, String description, Statements sql) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    this.description = description;
    this.sql = sql;
    this.transactions = new Transactions(dataSource);
    this.windowIds = new WindowIds(sql);
    this.retention = new Retention(sql);
    this.windows = new WindowRows(sql, windowIds);
    this.claims = new Claims(sql, windowIds);
    RollupRows rollups = new RollupRows(sql);
    this.maintenance = new LedgerMaintenance(sql, rollups, claims, windowIds);
    GeneralWrite general = new GeneralWrite(retention, new EventRows(sql), rollups, windows);
    PipelinedWrite pipelined = sql.dialect.pipelinesStatements() ? new PipelinedWrite(sql, retention, windowIds) : null;
    this.groupCommit = new GroupCommit(transactions, (connection, calls) -> {
      if (pipelined != null && calls.size() == 1) {
        List<RecordResult> results = pipelined.tryRun(connection, calls.get(0));
        if (results != null) {
          return results;
        }
      }
      return general.run(connection, calls);
    });
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
  public RecordResult record(List<TokenUsageEvent> events, List<BudgetWindow> windowsToKeep) {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(windowsToKeep, "windows");
    RecordPlan.Call call = new RecordPlan.Call(events, windowsToKeep);
    return groupCommit.record("recording " + events.size() + " event(s)", call, events.size());
  }

  @Override
  public Counts windowTotals(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    return transactions.run("reading the totals of " + window, connection -> windows.read(connection, window));
  }

  @Override
  public boolean claimThreshold(BudgetWindow window, double threshold) {
    Objects.requireNonNull(window, "window");
    if (Double.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold must be a number, got NaN");
    }
    return transactions.run("claiming threshold " + threshold + " of " + window,
        connection -> claims.claim(connection, window, threshold));
  }

  @Override
  public SortedSet<Double> claimedThresholds(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    return transactions.run("reading the claimed thresholds of " + window,
        connection -> claims.claimed(connection, window));
  }

  @Override
  public UsageAnswer query(UsageQuery query) {
    Objects.requireNonNull(query, "query");
    return transactions.run("answering a usage query", connection -> {
      Instant retainedFrom = retention.read(connection);
      List<UsageRow> rows = new LedgerQuery(sql, query).rows(connection);
      boolean before = retainedFrom != null && (query.from() == null || query.from().isBefore(retainedFrom));
      return new UsageAnswer(rows, retainedFrom, before);
    });
  }

  @Override
  public List<TokenUsageEvent> history(UsageFilter filter, int limit) {
    Objects.requireNonNull(filter, "filter");
    if (limit <= 0) {
      return List.of();
    }
    return transactions.run("reading history", connection -> {
      SqlWhere where = new SqlWhere().filter(filter);
      List<TokenUsageEvent> newestFirst = new ArrayList<>(Math.min(limit, 1024));
      try (PreparedStatement ps = connection.prepareStatement("SELECT " + Statements.EVENT_COLUMNS + " FROM "
          + sql.names.events + where.text() + " ORDER BY ts_us DESC, ts_ns DESC, id DESC LIMIT ?")) {
        int next = where.bind(ps, 1);
        ps.setInt(next, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            newestFirst.add(Statements.readEvent(rs, 1));
          }
        }
      }
      Collections.reverse(newestFirst);
      return newestFirst;
    });
  }

  @Override
  public void resetWindow(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    transactions.run("resetting " + window, connection -> {
      maintenance.reset(connection, window);
      return null;
    });
  }

  @Override
  public void dropBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    Instant start = transactions.run("moving the retained start to " + cutoff,
        connection -> maintenance.moveStart(connection, cutoff));
    retention.seen(start);
    // In batches, each its own transaction; also removes what an interrupted earlier drop left behind.
    while (transactions.run("dropping events before " + start, connection -> maintenance.deleteBefore(connection,
        start)) == LedgerMaintenance.DROP_BATCH) {
      LOG.debug("dropped {} events before {}, continuing", LedgerMaintenance.DROP_BATCH, start);
    }
  }

  @Override
  public Instant retainedFrom() {
    return transactions.run("reading the retained start", retention::read);
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

  /** The window ids this store has cached. */
  WindowIds windowIds() {
    return windowIds;
  }

  /** The statements (for the benchmarks' EXPLAIN). */
  Statements statements() {
    return sql;
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
      refuseOldFormat(source, foldedSchema, names, description);
      if (migrate) {
        try {
          Migrations.migrate(source, foldedSchema, foldedPrefix, names, dialect);
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

    /** Refuses, changing nothing, a schema that holds tables of the format before the ledger. */
    private void refuseOldFormat(DataSource source, String foldedSchema, SqlNames names, String description) {
      List<String> old;
      try (Connection connection = source.getConnection()) {
        old = Migrations.oldFormatTables(connection, foldedSchema, names);
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
      } catch (SQLException e) {
        throw new JdbcUsageStoreException("cannot inspect the usage tables on " + description + ": "
            + JdbcUrls.scrub(e.getMessage(), password), scrubbed(e, password));
      }
      if (!old.isEmpty()) {
        throw new JdbcUsageStoreException("the database " + description + " holds usage data of an older "
            + "tokenwatch version in schema '" + names.schema + "' (tables " + String.join(", ", old) + "), which "
            + "this version neither reads nor migrates; it was left untouched. To keep that usage: run `tokenwatch "
            + "history --json` with the older version, point this version at an empty database, schema or table "
            + "prefix, and load the export with `tokenwatch ingest --format tokenwatch`");
      }
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
