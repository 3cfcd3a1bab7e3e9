package dev.tokenwatch.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tokenwatch.config.StoreConfig;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;

/**
 * {@code store.type: jdbc}: H2 or PostgreSQL at {@code store.url}, through a connection pool the
 * store owns; the schema is migrated on open.
 */
final class JdbcStoreModule extends AbstractModule {

  private final StoreConfig.Jdbc config;

  JdbcStoreModule(StoreConfig.Jdbc config) {
    this.config = config;
  }

  @Provides
  @Singleton
  UsageStore store(AppResources resources) {
    JdbcUsageStore.Builder builder = JdbcUsageStore.builder().url(config.url());
    config.user().ifPresent(builder::user);
    config.password().ifPresent(password -> builder.password(password.reveal()));
    config.schema().ifPresent(builder::schema);
    try {
      return resources.register(config.describe(), builder.build());
    } catch (RuntimeException e) {
      // The store's messages mask credentials; describe() redacts the URL.
      throw new StoreException("cannot open the " + config.describe() + ": " + e.getMessage(), e);
    }
  }
}
