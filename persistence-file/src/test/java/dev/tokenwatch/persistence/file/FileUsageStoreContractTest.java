package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.contract.UsageStoreContract;
import dev.tokenwatch.domain.port.UsageStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The domain's contract suite, unchanged, on a real directory; {@link #reopen} reads it back from disk. */
class FileUsageStoreContractTest extends UsageStoreContract {

  @TempDir
  Path directory;

  @Override
  protected UsageStore createStore() {
    return new FileUsageStore(directory.resolve("state"));
  }

  @Override
  protected UsageStore reopen(UsageStore store) {
    store.close();
    return new FileUsageStore(directory.resolve("state"));
  }
}
