package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.contract.UsageStoreContract;
import dev.tokenwatch.domain.port.UsageStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite again with a tiny compaction threshold, so nearly every write seals the
 * journal and publishes a snapshot: the snapshot codec must round-trip every piece of state.
 */
class CompactingContractTest extends UsageStoreContract {

  @TempDir
  Path directory;

  @Override
  protected UsageStore createStore() {
    return FileUsageStore.builder(directory.resolve("state")).compactAfterBytes(1).build();
  }

  @Override
  protected UsageStore reopen(UsageStore store) {
    store.close();
    return FileUsageStore.builder(directory.resolve("state")).compactAfterBytes(1).build();
  }
}
