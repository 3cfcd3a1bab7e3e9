package dev.tokenwatch.app;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.cost.ModelPrice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The effective configuration: validated, immutable, with environment variables expanded.
 *
 * @param source where it came from, for people ("/home/me/.config/tokenwatch/config.yaml" or
 *     "built-in defaults")
 * @param file the file it was read from, if any
 * @param budget the budget to track
 * @param store where usage is kept
 * @param notifiers where alerts go, in order
 * @param stateDirectory where the audit log is written (and the default file store lives)
 * @param retention how long the store keeps events ({@code store.retention}); empty for ever
 * @param prices models priced by the configuration ({@code prices:}), overriding or adding to the
 *     price table, each naming its line as source
 */
record AppConfig(
    String source,
    Optional<Path> file,
    TokenBudget budget,
    StoreConfig store,
    List<NotifierConfig> notifiers,
    Path stateDirectory,
    Optional<Duration> retention,
    List<ModelPrice> prices) {

  /** The budget used when none is configured: 1,000,000 tokens a month. */
  static final long DEFAULT_LIMIT = 1_000_000;

  AppConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(store, "store");
    notifiers = List.copyOf(notifiers);
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    Objects.requireNonNull(retention, "retention");
    prices = List.copyOf(prices);
  }

  /** A configuration without price overrides. */
  AppConfig(String source, Optional<Path> file, TokenBudget budget, StoreConfig store, List<NotifierConfig> notifiers,
      Path stateDirectory, Optional<Duration> retention) {
    this(source, file, budget, store, notifiers, stateDirectory, retention, List.of());
  }

  /** A configuration whose store keeps events for ever. */
  AppConfig(String source, Optional<Path> file, TokenBudget budget, StoreConfig store, List<NotifierConfig> notifiers,
      Path stateDirectory) {
    this(source, file, budget, store, notifiers, stateDirectory, Optional.empty());
  }

  /** The built-in defaults: file store in the state directory, console alerts, 1,000,000 tokens a month. */
  static AppConfig defaults(String source, Path stateDirectory) {
    return new AppConfig(source, Optional.empty(), defaultBudget(), new StoreConfig.File(stateDirectory),
        List.of(new NotifierConfig.Console()), stateDirectory);
  }

  static TokenBudget defaultBudget() {
    return TokenBudget.of(DEFAULT_LIMIT, BudgetPeriod.MONTHLY);
  }
}
