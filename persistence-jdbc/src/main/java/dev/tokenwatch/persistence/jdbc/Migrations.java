package dev.tokenwatch.persistence.jdbc;

import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies the store's Flyway migrations ({@code classpath:db/migration/tokenwatch}) to one schema. */
final class Migrations {

  static final String LOCATION = "classpath:db/migration/tokenwatch";

  private Migrations() {}

  /**
   * Migrates {@code schema} (already folded to the database's identifier case, since Flyway quotes
   * it). The history table carries the prefix, so an application's own Flyway history in the same
   * schema is left alone; a schema that already holds other tables is baselined at version 0.
   */
  static void migrate(DataSource dataSource, String foldedSchema, String foldedPrefix, SqlNames names) {
    Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(dataSource)
        .locations(LOCATION)
        .schemas(foldedSchema)
        .defaultSchema(foldedSchema)
        .createSchemas(true)
        .table(foldedPrefix + "schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .placeholders(Map.of("schema", names.schema, "prefix", names.prefix))
        .load()
        .migrate();
  }
}
