package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.contract.UsageStoreContract;
import dev.tokenwatch.domain.port.UsageStore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/** The domain's contract on a real PostgreSQL server: one database for the class, a new schema per test. */
class PostgresContractTest extends UsageStoreContract {

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static String url;
  private String schema;

  @BeforeAll
  static void createDatabase() {
    url = EmbeddedPostgresServer.newDatabase("contract");
  }

  @Override
  protected UsageStore createStore() {
    schema = "contract_" + SCHEMAS.incrementAndGet();
    return open();
  }

  private UsageStore open() {
    return JdbcUsageStore.builder().url(url).user(EmbeddedPostgresServer.USER).schema(schema).poolSize(8).build();
  }

  @Override
  protected UsageStore reopen(UsageStore store) {
    store.close();
    return open();
  }
}
