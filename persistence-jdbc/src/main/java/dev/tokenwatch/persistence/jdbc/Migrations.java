package dev.tokenwatch.persistence.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Creates the ledger tables with Flyway ({@code classpath:db/ledger/tokenwatch}) in one schema, and
 * refuses a schema holding the tables of the format before the ledger: there is no migration from
 * it (the old tables are left exactly as they are).
 */
final class Migrations {

  static final String LOCATION = "classpath:db/ledger/tokenwatch";

  private Migrations() {}

  /**
   * Creates or updates the ledger tables in {@code schema} (already folded to the database's
   * identifier case, since Flyway quotes it). The history table carries the prefix, so an
   * application's own Flyway history in the same schema is left alone; a schema that already holds
   * other tables is baselined at version 0.
   */
  static void migrate(DataSource dataSource, String foldedSchema, String foldedPrefix, SqlNames names,
      Dialect dialect) {
    Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(dataSource)
        .locations(LOCATION)
        .schemas(foldedSchema)
        .defaultSchema(foldedSchema)
        .createSchemas(true)
        .table(foldedPrefix + names.historyTable().substring(names.prefix.length()))
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .placeholders(Map.of("schema", names.schema, "prefix", names.prefix, "sequenceCache",
            dialect.sequenceCache()))
        .load()
        .migrate();
  }

  /**
   * The tables of the format before the ledger that {@code schema} holds (empty if none), read
   * before anything is created or changed.
   */
  static List<String> oldFormatTables(Connection connection, String foldedSchema, SqlNames names)
      throws SQLException {
    List<String> wanted = new ArrayList<>();
    for (String table : names.oldFormatTables()) {
      wanted.add(table.toLowerCase(Locale.ROOT));
    }
    StringBuilder sql = new StringBuilder(
        "SELECT table_name FROM information_schema.tables WHERE LOWER(table_schema) = ? AND LOWER(table_name) IN (");
    for (int i = 0; i < wanted.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
    }
    sql.append(") ORDER BY table_name");
    List<String> found = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
      ps.setString(1, foldedSchema.toLowerCase(Locale.ROOT));
      for (int i = 0; i < wanted.size(); i++) {
        ps.setString(i + 2, wanted.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
    }
    return found;
  }
}
