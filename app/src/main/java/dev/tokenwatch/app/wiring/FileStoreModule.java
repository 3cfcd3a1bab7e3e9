package dev.tokenwatch.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tokenwatch.config.StoreConfig;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.persistence.file.FileUsageStore;

/** {@code store.type: file}: the file store in {@code store.path}, shared safely by many processes. */
final class FileStoreModule extends AbstractModule {

  private final StoreConfig.File config;

  FileStoreModule(StoreConfig.File config) {
    this.config = config;
  }

  @Provides
  @Singleton
  UsageStore store(AppResources resources) {
    try {
      return resources.register(config.describe(), new FileUsageStore(config.path()));
    } catch (RuntimeException e) {
      throw new StoreException("cannot open the " + config.describe() + ": " + e.getMessage(), e);
    }
  }
}
