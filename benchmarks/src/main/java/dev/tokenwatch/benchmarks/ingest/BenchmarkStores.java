package dev.tokenwatch.benchmarks.ingest;

import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.persistence.file.FileUsageStore;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The stores the ingest benchmark runs against, by the name used in its {@code store} parameter.
 * Each factory gets a fresh, empty directory it may keep its data in.
 */
public final class BenchmarkStores {

  /** Store factories by name. */
  public static final Map<String, Function<Path, UsageStore>> FACTORIES = new LinkedHashMap<>();

  static {
    FACTORIES.put("memory", dir -> new InMemoryUsageStore());
    FACTORIES.put("file", FileUsageStore::new);
    FACTORIES.put("h2", dir -> JdbcUsageStore.builder().url("jdbc:h2:file:" + dir.resolve("usage").toAbsolutePath()).build());
  }

  private BenchmarkStores() {}

  /** A new store named {@code name} keeping its data under {@code dir}. */
  public static UsageStore create(String name, Path dir) {
    Function<Path, UsageStore> factory = FACTORIES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("store must be one of " + FACTORIES.keySet() + ", got \"" + name + '"');
    }
    return factory.apply(dir);
  }
}
