package dev.tokenwatch.persistence.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Opens the ledger on a data source: finds the dialect (and, on an H2 file, checks that the user may
 * force writes to disk), resolves the schema and the names as the database folds them, refuses a
 * schema of the format before the ledger, applies the Flyway migrations unless disabled, and checks
 * that the tables are there and readable.
 */
final class LedgerOpener {

  /** Logged as the store, which is what it announces. */
  private static final Logger LOG = LogManager.getLogger(JdbcUsageStore.class);

  /** Run after every write's commit on an H2 file database: writes the commit to the file and forces it to disk. */
  static final String H2_FORCE_TO_DISK = "CHECKPOINT SYNC";

  private LedgerOpener() {}

  /**
   * The store on {@code source}; {@code ownedPool} (null: the caller's data source) and {@code
   * processLock} (null unless an H2 file) are closed by the store's {@code close}, not here.
   */
  static JdbcUsageStore open(StoreSettings settings, DataSource source, HikariDataSource ownedPool,
      String description, List<String> secrets, H2ProcessLock processLock) {
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
        requireForceToDisk(connection);
      }
      String effectiveSchema = settings.schema != null ? settings.schema : currentSchema(connection);
      names = new SqlNames(effectiveSchema, settings.tablePrefix);
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
    if (settings.migrate) {
      try {
        Migrations.migrate(source, foldedSchema, foldedPrefix, names, dialect);
      } catch (RuntimeException e) {
        throw new JdbcUsageStoreException("migrating the usage tables in schema '" + names.schema + "' on "
            + description + " failed: " + JdbcUrls.scrub(Errors.rootMessage(e), secrets),
            Errors.scrubbed(e, secrets));
      }
    }
    Statements statements = new Statements(names, dialect);
    Transactions transactions = new Transactions(source, afterWriteCommit);
    transactions.run("checking the usage tables on " + description, connection -> {
      try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(statements.probeTables)) {
        rs.next();
        return null;
      } catch (SQLException e) {
        throw new SQLException("the usage tables " + names.prefix + "* are missing or unreadable in schema '"
            + names.schema + "'" + (settings.migrate ? "" : " (migrations are disabled: enable them or apply them)")
            + ": " + e.getMessage(), e.getSQLState(), e);
      }
    });
    String fullDescription = description + ", dialect=" + dialect + ", schema=" + names.schema
        + ", tablePrefix=" + names.prefix;
    JdbcUsageStore store = new JdbcUsageStore(source, ownedPool, fullDescription, statements, transactions,
        processLock);
    LOG.info("Usage store ready: {}", store);
    return store;
  }

  /** {@code CHECKPOINT SYNC} needs admin rights; a user without them is refused here rather than at every write. */
  private static void requireForceToDisk(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute(H2_FORCE_TO_DISK);
    } catch (SQLException e) {
      throw new SQLException("the H2 user cannot run " + H2_FORCE_TO_DISK + " (" + e.getMessage() + "), which the "
          + "store runs after every write so that a write that returned is on disk; connect as the database's "
          + "admin user (the one that created it)", e.getSQLState(), e);
    }
  }

  /** Refuses, changing nothing, a schema that holds tables of the format before the ledger. */
  private static void refuseOldFormat(DataSource source, String foldedSchema, SqlNames names, String description,
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
