package dev.tokenwatch.config;

import dev.tokenwatch.config.ConfigNodes.Origin;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.cost.ModelPrice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the tokenwatch configuration (YAML) into a validated {@link AppConfig}: the budgets as the
 * domain's {@link TokenBudget}s, the store, the notifiers, prices and usage sources. Every error is
 * a {@link ConfigException} naming file, line, key and value; {@code ${NAME}} and {@code
 * ${NAME:-default}} in any value are replaced by environment variables (<code>$${</code> is a literal
 * <code>${</code>).
 *
 * <p>An embedding reads its own file with {@code new ConfigLoader(ConfigEnvironment.system())
 * .read(path)}; the CLI looks the file up with {@link #load} (see {@link ConfigFiles} for the
 * order).
 */
public final class ConfigLoader {

  /** The top-level keys. */
  static final List<String> TOP_KEYS = List.of("budget", "budgets", "store", "notifiers", "prices",
      AppConfig.RESERVATION_TIMEOUT_KEY, "sources");

  private final ConfigEnvironment env;
  private final List<String> sourceTypes;

  /** A loader in {@code env} whose {@code sources:} may name any type (for callers that read no sources). */
  public ConfigLoader(ConfigEnvironment env) {
    this(env, List.of());
  }

  private ConfigLoader(ConfigEnvironment env, List<String> sourceTypes) {
    this.env = env;
    this.sourceTypes = List.copyOf(sourceTypes);
  }

  /**
   * This loader, accepting only {@code types} as a source's {@code type} (ignoring case and '_' for
   * '-'); sources then carry the spelling given here. The CLI passes the log formats it reads.
   */
  public ConfigLoader sourceTypes(List<String> types) {
    return new ConfigLoader(env, types);
  }

  /**
   * The effective configuration: the file given ({@code explicitFile}, the {@code --config} option)
   * or found, else the built-in defaults.
   */
  public AppConfig load(Optional<String> explicitFile) {
    ConfigFiles files = new ConfigFiles(env);
    return files.find(explicitFile).map(found -> parse(found.text(), found.label(), found.file()))
        .orElseGet(() -> AppConfig.defaults(files.noFile(), env.defaultStateDirectory(), SourcesSection.defaults(env)));
  }

  /** The configuration in {@code file}; relative paths in it are relative to its directory. */
  public AppConfig read(Path file) {
    ConfigFiles.Found found = ConfigFiles.read(file, file.toString());
    return parse(found.text(), found.label(), found.file());
  }

  /**
   * The configuration in {@code text}, the content of {@code file}; messages name the file as
   * {@code label}, relative paths are relative to the file's directory.
   */
  public AppConfig parse(String text, String label, Path file) {
    ConfigNodes nodes = new ConfigNodes(label, env, file.toAbsolutePath().getParent());
    Optional<YamlNode> document = new YamlReader(label).read(text);
    YamlNode.Mapping root = document.isEmpty() ? new YamlNode.Mapping(1, Map.of())
        : nodes.mapping(document.get(), "the configuration", TOP_KEYS);
    nodes.checkKeys(root, "", TOP_KEYS);
    Map<String, YamlNode.Entry> entries = root.entries();

    List<TokenBudget> budgets = new BudgetsSection(nodes).budgets(root);
    StoreSection storeSection = new StoreSection(nodes);
    StoreConfig store = storeSection.store(root);
    Optional<Duration> retention = storeSection.retention(root);
    NotifierSettings notifiers = new NotifiersSection(nodes).settings(root);
    List<ModelPrice> prices = entries.containsKey("prices") ? new PricesSection(nodes).prices(entries.get("prices"))
        : List.of();
    YamlNode.Entry timeoutEntry = entries.get(AppConfig.RESERVATION_TIMEOUT_KEY);
    Duration reservationTimeout = timeoutEntry != null ? new HardLimitsSection(nodes).timeout(timeoutEntry)
        : TokenTracker.DEFAULT_RESERVATION_TIMEOUT;
    List<SourceConfig> sources = new SourcesSection(nodes, sourceTypes).sources(root);
    try {
      return new AppConfig(file.toString(), Optional.of(file), budgets, store, notifiers,
          env.defaultStateDirectory(), retention, prices, reservationTimeout, sources);
    } catch (IllegalArgumentException e) {
      YamlNode at = timeoutEntry != null ? timeoutEntry.value() : root;
      throw nodes.rejected(e, Map.of(AppConfig.RESERVATION_TIMEOUT_KEY,
          new Origin(AppConfig.RESERVATION_TIMEOUT_KEY, at)), "", root);
    }
  }
}
