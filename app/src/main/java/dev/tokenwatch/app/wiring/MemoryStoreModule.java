package dev.tokenwatch.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.UsageStore;

/** {@code store.type: memory}: the domain's in-memory store; usage ends with the process. */
final class MemoryStoreModule extends AbstractModule {

  @Provides
  @Singleton
  UsageStore store(AppResources resources) {
    return resources.register("memory store", new InMemoryUsageStore());
  }
}
