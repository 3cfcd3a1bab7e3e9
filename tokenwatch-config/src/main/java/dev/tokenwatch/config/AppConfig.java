package dev.tokenwatch.config;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
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
 * @param budgets the budgets to track, at least one, names unique, in the order of the file
 * @param store where usage is kept
 * @param notifiers where alerts go, in order
 * @param stateDirectory where the audit log is written (and the default file store lives)
 * @param retention how long the store keeps events ({@code store.retention}); empty for ever
 * @param prices models priced by the configuration ({@code prices:}), overriding or adding to the
 *     price table, each naming its line as source
 * @param reservationTimeout how long a reservation of a hard budget holds its estimate unless
 *     settled ({@code reservationTimeout}, 10 minutes by default)
 * @param sources the usage logs read before {@code report}, {@code status} and {@code check}
 *     ({@code sources:}, else Claude Code's log directories); empty for none
 */
record AppConfig(
    String source,
    Optional<Path> file,
    List<TokenBudget> budgets,
    StoreConfig store,
    List<NotifierConfig> notifiers,
    Path stateDirectory,
    Optional<Duration> retention,
    List<ModelPrice> prices,
    Duration reservationTimeout,
    List<SourceConfig> sources) {

  /** The budget used when none is configured: 1,000,000 tokens a month. */
  static final long DEFAULT_LIMIT = 1_000_000;

  AppConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(file, "file");
    budgets = List.copyOf(budgets);
    if (budgets.isEmpty()) {
      throw new IllegalArgumentException("a configuration has at least one budget");
    }
    Objects.requireNonNull(store, "store");
    notifiers = List.copyOf(notifiers);
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    Objects.requireNonNull(retention, "retention");
    prices = List.copyOf(prices);
    if (reservationTimeout.isNegative() || reservationTimeout.isZero()) {
      throw new IllegalArgumentException("reservationTimeout must be positive, got " + reservationTimeout);
    }
    sources = List.copyOf(sources);
  }

  /** A configuration with the default reservation timeout and without usage sources. */
  AppConfig(String source, Optional<Path> file, List<TokenBudget> budgets, StoreConfig store,
      List<NotifierConfig> notifiers, Path stateDirectory, Optional<Duration> retention, List<ModelPrice> prices) {
    this(source, file, budgets, store, notifiers, stateDirectory, retention, prices,
        TokenTracker.DEFAULT_RESERVATION_TIMEOUT, List.of());
  }

  /** A configuration of one budget without price overrides. */
  AppConfig(String source, Optional<Path> file, TokenBudget budget, StoreConfig store, List<NotifierConfig> notifiers,
      Path stateDirectory, Optional<Duration> retention) {
    this(source, file, List.of(budget), store, notifiers, stateDirectory, retention, List.of());
  }

  /** A configuration of one budget whose store keeps events for ever. */
  AppConfig(String source, Optional<Path> file, TokenBudget budget, StoreConfig store, List<NotifierConfig> notifiers,
      Path stateDirectory) {
    this(source, file, budget, store, notifiers, stateDirectory, Optional.empty());
  }

  /**
   * The first budget: the one {@code ingest} keeps its offsets under and summarises (the ingest
   * command charges every budget; its summary and state directory are per configuration, not per
   * budget).
   */
  TokenBudget budget() {
    return budgets.get(0);
  }

  /**
   * The built-in defaults: file store in the state directory, console alerts, 1,000,000 tokens a
   * month, the given usage sources.
   */
  static AppConfig defaults(String source, Path stateDirectory, List<SourceConfig> sources) {
    return new AppConfig(source, Optional.empty(), List.of(defaultBudget()), new StoreConfig.File(stateDirectory),
        List.of(new NotifierConfig.Console()), stateDirectory, Optional.empty(), List.of(),
        TokenTracker.DEFAULT_RESERVATION_TIMEOUT, sources);
  }

  static TokenBudget defaultBudget() {
    return TokenBudget.of(DEFAULT_LIMIT, BudgetPeriod.MONTHLY);
  }
}
