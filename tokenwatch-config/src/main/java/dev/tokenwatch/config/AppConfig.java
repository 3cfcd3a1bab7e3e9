package dev.tokenwatch.config;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.cost.ModelPrice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The effective configuration: validated, immutable, with environment variables expanded. Read
 * with {@link ConfigLoader}; every budget is the domain's {@link TokenBudget}.
 *
 * @param source where it came from, for people ("/home/me/.config/tokenwatch/config.yaml" or
 *     "built-in defaults")
 * @param file the file it was read from, if any
 * @param budgets the budgets to track, at least one, names unique, in the order of the file
 * @param store where usage is kept
 * @param notifierSettings where alerts go and how long their delivery is tried
 * @param stateDirectory where the audit log is written (and the default file store lives)
 * @param retention how long the store keeps events ({@code store.retention}); empty for ever
 * @param prices models priced by the configuration ({@code prices:}), overriding or adding to the
 *     price table, each naming its line as source
 * @param reservationTimeout how long a reservation of a hard budget holds its estimate unless
 *     settled ({@code reservationTimeout}, 10 minutes by default)
 * @param sources the usage logs read before {@code report}, {@code status} and {@code check}
 *     ({@code sources:}, else Claude Code's log directories); empty for none
 */
public record AppConfig(
    String source,
    Optional<Path> file,
    List<TokenBudget> budgets,
    StoreConfig store,
    NotifierSettings notifierSettings,
    Path stateDirectory,
    Optional<Duration> retention,
    List<ModelPrice> prices,
    Duration reservationTimeout,
    List<SourceConfig> sources) {

  /** The budget used when none is configured: 1,000,000 tokens a month. */
  public static final long DEFAULT_LIMIT = 1_000_000;
  /** The top-level key of {@link #reservationTimeout}. */
  public static final String RESERVATION_TIMEOUT_KEY = "reservationTimeout";

  /** @throws IllegalArgumentException if there is no budget or the reservation timeout is not positive */
  public AppConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(file, "file");
    budgets = List.copyOf(budgets);
    if (budgets.isEmpty()) {
      throw new IllegalArgumentException("a configuration has at least one budget");
    }
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(notifierSettings, "notifierSettings");
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    Objects.requireNonNull(retention, "retention");
    prices = List.copyOf(prices);
    Durations.require(RESERVATION_TIMEOUT_KEY, Objects.requireNonNull(reservationTimeout, "reservationTimeout"),
        false, TokenTracker.DEFAULT_RESERVATION_TIMEOUT);
    sources = List.copyOf(sources);
  }

  /** A configuration of one budget with the given notifiers and every other setting at its default. */
  public AppConfig(String source, Optional<Path> file, TokenBudget budget, StoreConfig store,
      List<NotifierConfig> notifiers, Path stateDirectory) {
    this(source, file, List.of(budget), store, NotifierSettings.of(notifiers), stateDirectory, Optional.empty(),
        List.of(), TokenTracker.DEFAULT_RESERVATION_TIMEOUT, List.of());
  }

  /** Where alerts go, in order ({@link NotifierSettings#sinks()}). */
  public List<NotifierConfig> notifiers() {
    return notifierSettings.sinks();
  }

  /**
   * The first budget: the one {@code ingest} keeps its offsets under and summarises (the ingest
   * command charges every budget; its summary and state directory are per configuration, not per
   * budget).
   */
  public TokenBudget budget() {
    return budgets.get(0);
  }

  /**
   * Every secret value of the configuration (passwords, webhook URLs, secrets inside a JDBC URL),
   * for a caller that masks them in what it prints and logs. Never shown by {@link #toString()}.
   */
  public List<String> secrets() {
    List<String> secrets = new ArrayList<>(store.secrets());
    notifierSettings.sinks().forEach(n -> secrets.addAll(n.secrets()));
    return secrets;
  }

  /**
   * The built-in defaults: file store in the state directory, console alerts, 1,000,000 tokens a
   * month, the given usage sources.
   */
  public static AppConfig defaults(String source, Path stateDirectory, List<SourceConfig> sources) {
    return new AppConfig(source, Optional.empty(), List.of(defaultBudget()), new StoreConfig.File(stateDirectory),
        NotifierSettings.defaults(), stateDirectory, Optional.empty(), List.of(),
        TokenTracker.DEFAULT_RESERVATION_TIMEOUT, sources);
  }

  /** The budget of a configuration that names none: 1,000,000 tokens a month. */
  public static TokenBudget defaultBudget() {
    return TokenBudget.of(DEFAULT_LIMIT, BudgetPeriod.MONTHLY);
  }
}
