package dev.tokenwatch.domain.memory;

import dev.tokenwatch.domain.contract.UsageStoreContract;
import dev.tokenwatch.domain.port.UsageStore;

class InMemoryUsageStoreTest extends UsageStoreContract {

  @Override
  protected UsageStore createStore() {
    return new InMemoryUsageStore();
  }
}
