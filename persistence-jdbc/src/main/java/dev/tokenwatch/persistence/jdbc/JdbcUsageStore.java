package dev.tokenwatch.persistence.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.port.AlertOutbox;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.domain.reservation.CommitResult;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import javax.sql.DataSource;

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

  /** The default table prefix. */
  public static final String DEFAULT_TABLE_PREFIX = "tokenwatch_";
  /** The default time to wait for a connection, at start and for each operation. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** The default size of the pool the store creates. */
  public static final int DEFAULT_POOL_SIZE = 4;

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  /** Held from open to close on an H2 file: one tokenwatch process at a time. */
  private final H2ProcessLock processLock;
  private final String description;
  private final Statements sql;
  private final WindowIds windowIds;
  private final Recording recording;
  private final Reservations reservations;
  private final LedgerReads reads;
  private final Claims claims;
  private final AlertOutbox outbox;
  private final LedgerMaintenance maintenance;

  /** Wires the operations on one ledger; {@link LedgerOpener} has checked (and migrated) its tables. */
  JdbcUsageStore(DataSource dataSource, HikariDataSource ownedPool, String description, Statements sql,
      Transactions transactions, H2ProcessLock processLock) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    this.processLock = processLock;
    this.description = description;
    this.sql = sql;
    this.windowIds = new WindowIds(sql);
    Retention retention = new Retention(sql);
    WindowRows windows = new WindowRows(sql, windowIds);
    RollupRows rollups = new RollupRows(sql);
    KeptWindows kept = new KeptWindows(sql);
    ReservationRows reservationRows = new ReservationRows(sql);
    OutboxRows outboxRows = new OutboxRows(sql);
    this.recording = new Recording(sql, transactions, retention, windowIds, windows, rollups, kept, reservationRows);
    this.reservations = new Reservations(sql, transactions, windowIds, windows, kept, reservationRows);
    this.reads = new LedgerReads(sql, transactions, retention, windows);
    this.claims = new Claims(sql, transactions, windowIds, outboxRows);
    this.outbox = new JdbcAlertOutbox(transactions, outboxRows);
    this.maintenance = new LedgerMaintenance(sql, transactions, retention, rollups, claims, windowIds, kept);
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
    return recording.record(events, windowsToKeep);
  }

  @Override
  public ReserveOutcome reserve(ReservationRequest request, Instant now) {
    return reservations.reserve(request, now);
  }

  @Override
  public CommitResult commit(String reservationId, List<TokenUsageEvent> events, List<BudgetWindow> windowsToKeep,
      Instant now) {
    return recording.commit(reservationId, events, windowsToKeep, now);
  }

  @Override
  public boolean release(String reservationId, Instant now) {
    return reservations.release(reservationId, now);
  }

  @Override
  public OpenReservations reserved(BudgetWindow window, BudgetUnit unit, Instant now) {
    return reservations.reserved(window, unit, now);
  }

  @Override
  public boolean keepsWindow(BudgetWindow window) {
    return reads.keepsWindow(window);
  }

  @Override
  public Counts windowTotals(BudgetWindow window) {
    return reads.windowTotals(window);
  }

  @Override
  public boolean claimThreshold(BudgetWindow window, double threshold, AlertClaim claim) {
    return claims.claim(window, threshold, claim);
  }

  @Override
  public AlertOutbox outbox() {
    return outbox;
  }

  @Override
  public SortedSet<Double> claimedThresholds(BudgetWindow window) {
    return claims.claimed(window);
  }

  @Override
  public UsageAnswer query(UsageQuery query) {
    return reads.query(query);
  }

  @Override
  public List<TokenUsageEvent> history(UsageFilter filter, int limit) {
    return reads.history(filter, limit);
  }

  @Override
  public void resetWindow(BudgetWindow window) {
    maintenance.resetWindow(window);
  }

  @Override
  public void dropBefore(Instant cutoff) {
    maintenance.dropBefore(cutoff);
  }

  @Override
  public Instant retainedFrom() {
    return reads.retainedFrom();
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
      StoreSettings settings = new StoreSettings(url, user, password, dataSource, schema, tablePrefix, migrate,
          connectTimeout, poolSize);
      if (dataSource != null) {
        return LedgerOpener.open(settings, dataSource, null, "dataSource=" + dataSource.getClass().getName(),
            List.of(), null);
      }
      return UrlConnector.open(settings);
    }
  }
}
