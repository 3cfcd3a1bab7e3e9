package dev.tokenwatch.ingest.bench;

import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.UsageStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The stores the ingest benchmark runs against, by the name used in its {@code store} parameter.
 * Each factory gets a fresh, empty directory it may keep its data in. The file and H2 stores live in
 * other modules: add them here (with a test-scope dependency on their module) as
 * {@code "file" -> dir -> FileUsageStore.open(dir)} and {@code "h2" -> dir -> ...}.
 */
public final class BenchmarkStores {

  /** Store factories by name. */
  public static final Map<String, Function<Path, UsageStore>> FACTORIES = new LinkedHashMap<>();

  static {
    FACTORIES.put("memory", dir -> new InMemoryUsageStore());
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
