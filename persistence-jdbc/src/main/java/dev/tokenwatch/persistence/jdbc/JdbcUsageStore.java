package dev.tokenwatch.persistence.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.ledger.UsageRow;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.port.AlertOutbox;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.domain.reservation.CommitResult;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import java.util.Optional;
import java.util.Properties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * own result. Reservations of hard budgets are rows every process sees at once: {@code reserve}
 * locks the held windows' totals rows and decides on them in one transaction ({@link ReserveWrite});
 * {@code commit} is a record that deletes the reservation in the same transaction. A won threshold
 * claim queues its alert in the outbox table in the claim's transaction; takers lock the due rows
 * ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL), so each entry goes to one taker at a time.
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
  /** Run after every write's commit on an H2 file database: writes the commit to the file and forces it to disk. */
  static final String H2_FORCE_TO_DISK = "CHECKPOINT SYNC";
  /** The default size of the pool the store creates. */
  public static final int DEFAULT_POOL_SIZE = 4;

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  /** Held from open to close on an H2 file: one tokenwatch process at a time. */
  private final H2ProcessLock processLock;
  private final String description;
  private final Statements sql;
  private final Transactions transactions;
  private final GroupCommit groupCommit;
  private final WindowIds windowIds;
  private final Retention retention;
  private final WindowRows windows;
  private final Claims claims;
  private final AlertOutbox outbox;
  private final LedgerMaintenance maintenance;
  private final ReservationRows reservationRows;
  private final ReserveWrite reserveWrite;

  private JdbcUsageStore(DataSource dataSource, HikariDataSource ownedPool, String description, Statements sql,
      String afterWriteCommit, H2ProcessLock processLock) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    this.processLock = processLock;
    this.description = description;
    this.sql = sql;
    this.transactions = new Transactions(dataSource, afterWriteCommit);
    this.windowIds = new WindowIds(sql);
    this.retention = new Retention(sql);
    this.windows = new WindowRows(sql, windowIds);
    OutboxRows outboxRows = new OutboxRows(sql);
    this.claims = new Claims(sql, windowIds, outboxRows);
    this.outbox = new JdbcAlertOutbox(transactions, outboxRows);
    RollupRows rollups = new RollupRows(sql);
    KeptWindows kept = new KeptWindows(sql);
    this.maintenance = new LedgerMaintenance(sql, rollups, claims, windowIds, kept);
    this.reservationRows = new ReservationRows(sql);
    this.reserveWrite = new ReserveWrite(sql, reservationRows, windowIds, windows, kept);
    GeneralWrite general = new GeneralWrite(retention, new EventRows(sql), rollups, windows, kept);
    PipelinedWrite pipelined = sql.dialect.pipelinesStatements()
        ? new PipelinedWrite(sql, retention, windowIds, kept, reservationRows) : null;
    this.groupCommit = new GroupCommit(transactions, (connection, calls) -> {
      if (pipelined != null && calls.size() == 1) {
        CommitResult result = pipelined.tryRun(connection, calls.get(0));
        if (result != null) {
          return List.of(result);
        }
      }
      // A commit ends its reservation after the record's window updates: the lock order of ReservationRows.
      return reservationRows.settle(connection, calls, general.run(connection, calls));
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
    return groupCommit.record("recording " + events.size() + " event(s)", call, events.size()).recorded();
  }

  @Override
  public ReserveOutcome reserve(ReservationRequest request, Instant now) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(now, "now");
    // Not forced to disk on H2 (nor flushed before the commit returns on PostgreSQL): a reservation
    // matters only while its process lives; a seeded window is derived from the ledger again if lost.
    return transactions.writeNotDurable("reserving " + request.id(),
        connection -> reserveWrite.run(connection, request, now));
  }

  @Override
  public CommitResult commit(String reservationId, List<TokenUsageEvent> events, List<BudgetWindow> windowsToKeep,
      Instant now) {
    ReservationRequest.requireValidId(reservationId);
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(windowsToKeep, "windows");
    Objects.requireNonNull(now, "now");
    RecordPlan.Call call = new RecordPlan.Call(events, windowsToKeep, reservationId, now);
    return groupCommit.record("committing reservation " + reservationId + " with " + events.size() + " event(s)",
        call, events.size());
  }

  @Override
  public boolean release(String reservationId, Instant now) {
    ReservationRequest.requireValidId(reservationId);
    Objects.requireNonNull(now, "now");
    return transactions.writeNotDurable("releasing reservation " + reservationId, connection -> {
      if (reservationRows.relaxDurability != null) {
        try (Statement st = connection.createStatement()) {
          st.execute(reservationRows.relaxDurability);
        }
      }
      return reservationRows.end(connection, reservationId, now);
    });
  }

  @Override
  public OpenReservations reserved(BudgetWindow window, BudgetUnit unit, Instant now) {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(now, "now");
    return transactions.run("reading the reservations of " + window, connection -> {
      Long id = windowIds.find(connection, window);
      return id == null ? OpenReservations.NONE : reservationRows.held(connection, id, unit, now);
    });
  }

  @Override
  public boolean keepsWindow(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    return transactions.run("reading whether totals of " + window + " are kept",
        connection -> windows.keeps(connection, window));
  }

  @Override
  public Counts windowTotals(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    return transactions.run("reading the totals of " + window, connection -> windows.read(connection, window));
  }

  @Override
  public boolean claimThreshold(BudgetWindow window, double threshold, AlertClaim claim) {
    Objects.requireNonNull(window, "window");
    if (Double.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold must be a number, got NaN");
    }
    return transactions.write("claiming threshold " + threshold + " of " + window,
        connection -> claims.claim(connection, window, threshold, claim));
  }

  @Override
  public AlertOutbox outbox() {
    return outbox;
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
    return transactions.run("reading history", connection -> LedgerHistory.latest(connection, sql, filter, limit));
  }

  @Override
  public void resetWindow(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    transactions.write("resetting " + window, connection -> {
      maintenance.reset(connection, window);
      return null;
    });
  }

  @Override
  public void dropBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    Instant start = transactions.write("moving the retained start to " + cutoff,
        connection -> maintenance.moveStart(connection, cutoff));
    retention.seen(start);
    // In batches, each its own transaction; also removes what an interrupted earlier drop left behind.
    while (transactions.write("dropping events before " + start, connection -> maintenance.deleteBefore(connection,
        start)) == LedgerMaintenance.DROP_BATCH) {
      LOG.debug("dropped {} events before {}, continuing", LedgerMaintenance.DROP_BATCH, start);
    }
  }

  @Override
  public Instant retainedFrom() {
    return transactions.run("reading the retained start", retention::read);
  }

  /**
   * Closes the pool if this store created it (an H2 database is closed with its last connection),
   * then lets the next process open the H2 file; a caller's data source stays open.
   */
  @Override
  public void close() {
    try {
      if (ownedPool != null) {
        ownedPool.close();
      }
    } finally {
      if (processLock != null) {
        try {
          processLock.close();
        } catch (IOException e) {
          throw new JdbcUsageStoreException("cannot release " + processLock.file() + ": " + e, e);
        }
      }
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
     * get PostgreSQL compatibility mode and, for files, {@code FILE_LOCK=FS;DB_CLOSE_ON_EXIT=FALSE}
     * unless they set these themselves; {@code AUTO_SERVER=TRUE} is refused.
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
        return open(dataSource, null, "dataSource=" + dataSource.getClass().getName(), List.of(), null);
      }
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
        try (Connection first = FirstConnection.open(effectiveUrl, properties, connectTimeout, start, maskedUrl, user,
            secrets, h2File)) {
          HikariDataSource pool = createPool(effectiveUrl, maskedUrl, properties, secrets);
          try {
            JdbcUsageStore store = open(pool, pool, "url=" + maskedUrl, secrets, processLock);
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
        return H2ProcessLock.acquire(database, connectTimeout);
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
      List<String> secrets = new ArrayList<>(JdbcUrls.secretsIn(url));
      if (password != null && !password.isEmpty()) {
        secrets.add(password);
      }
      return List.copyOf(secrets);
    }

    /** User, password and, for PostgreSQL, the driver's own timeouts, for the first connection and the pool. */
    private Properties connectionProperties(boolean h2) {
      Properties properties = new Properties();
      if (user != null) {
        properties.setProperty("user", user);
      }
      if (password != null) {
        properties.setProperty("password", password);
      }
      if (!h2) {
        String seconds = Long.toString(Math.max(1, (connectTimeout.toMillis() + 999) / 1000));
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
      config.setUsername(user);
      config.setPassword(password);
      config.setMaximumPoolSize(poolSize);
      config.setAutoCommit(false);
      config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
      long timeoutMillis = connectTimeout.toMillis();
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

    private JdbcUsageStore open(DataSource source, HikariDataSource ownedPool, String description,
        List<String> secrets, H2ProcessLock processLock) {
      SqlNames names;
      Dialect dialect;
      String foldedSchema;
      String foldedPrefix;
      String afterWriteCommit = null;
      try (Connection connection = source.getConnection()) {
        dialect = Dialect.of(connection);
        DatabaseMetaData meta = connection.getMetaData();
        if (dialect == Dialect.H2 && JdbcUrls.h2File(meta.getURL()).isPresent()) {
          afterWriteCommit = H2_FORCE_TO_DISK;
          requireForceToDisk(connection, description);
        }
        String effectiveSchema = schema != null ? schema : currentSchema(connection);
        names = new SqlNames(effectiveSchema, tablePrefix);
        foldedSchema = fold(meta, names.schema);
        foldedPrefix = fold(meta, names.prefix);
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
      } catch (SQLException e) {
        throw new JdbcUsageStoreException("cannot open the usage store on " + description + ": "
            + JdbcUrls.scrub(e.getMessage(), secrets), Errors.scrubbed(e, secrets));
      }
      refuseOldFormat(source, foldedSchema, names, description, secrets);
      if (migrate) {
        try {
          Migrations.migrate(source, foldedSchema, foldedPrefix, names, dialect);
        } catch (RuntimeException e) {
          throw new JdbcUsageStoreException("migrating the usage tables in schema '" + names.schema + "' on "
              + description + " failed: " + JdbcUrls.scrub(Errors.rootMessage(e), secrets),
              Errors.scrubbed(e, secrets));
        }
      }
      Statements statements = new Statements(names, dialect);
      String fullDescription = description + ", dialect=" + dialect + ", schema=" + names.schema
          + ", tablePrefix=" + names.prefix;
      JdbcUsageStore store = new JdbcUsageStore(source, ownedPool, fullDescription, statements, afterWriteCommit,
          processLock);
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

    /** {@code CHECKPOINT SYNC} needs admin rights; a user without them is refused here rather than at every write. */
    private static void requireForceToDisk(Connection connection, String description) throws SQLException {
      try (Statement st = connection.createStatement()) {
        st.execute(H2_FORCE_TO_DISK);
      } catch (SQLException e) {
        throw new SQLException("the H2 user cannot run " + H2_FORCE_TO_DISK + " (" + e.getMessage() + "), which the "
            + "store runs after every write so that a write that returned is on disk; connect as the database's "
            + "admin user (the one that created it)", e.getSQLState(), e);
      }
    }

    /** Refuses, changing nothing, a schema that holds tables of the format before the ledger. */
    private void refuseOldFormat(DataSource source, String foldedSchema, SqlNames names, String description,
        List<String> secrets) {
      List<String> old;
      try (Connection connection = source.getConnection()) {
        old = Migrations.oldFormatTables(connection, foldedSchema, names);
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
      } catch (SQLException e) {
        throw new JdbcUsageStoreException("cannot inspect the usage tables on " + description + ": "
            + JdbcUrls.scrub(e.getMessage(), secrets), Errors.scrubbed(e, secrets));
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
}
