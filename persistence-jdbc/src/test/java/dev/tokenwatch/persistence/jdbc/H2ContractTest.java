package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.contract.UsageStoreContract;
import dev.tokenwatch.domain.port.UsageStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The domain's contract on an H2 file database, a new one per test. */
class H2ContractTest extends UsageStoreContract {

  @TempDir
  Path dir;

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("usage").toAbsolutePath();
  }

  @Override
  protected UsageStore createStore() {
    return JdbcUsageStore.builder().url(url()).user("sa").password("").build();
  }

  @Override
  protected UsageStore reopen(UsageStore store) {
    store.close();
    return createStore();
  }
}
