package dev.tokenwatch.config;

import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.cost.ModelPrice;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds, reads and validates the configuration. Lookup order: {@code --config FILE}, {@code
 * $TOKENWATCH_CONFIG}, {@code ./tokenwatch.yaml}, {@code $XDG_CONFIG_HOME/tokenwatch/config.yaml}
 * (else {@code ~/.config/tokenwatch/config.yaml}); with none, {@link AppConfig#defaults}.
 *
 * <p>The loader finds the file and reads the store and notifiers; {@link BudgetsConfig} reads the
 * budgets, {@link PricesConfig} the prices, {@link SourcesConfig} the usage sources, {@link ConfigNodes}
 * what they share. Every error is a
 * {@link ConfigException} naming file, line and key. {@code ${NAME}} and
 * {@code ${NAME:-default}} in any value are replaced by environment variables; {@code $${} stands
 * for a literal {@code ${}.
 */
final class ConfigLoader {

  static final String ENV_CONFIG = "TOKENWATCH_CONFIG";
  static final String LOCAL_FILE = "tokenwatch.yaml";

  static final List<String> TOP_KEYS = List.of("budget", "budgets", "store", "notifiers", "prices",
      HardLimitsConfig.TIMEOUT_KEY, "sources");
  static final Map<String, List<String>> STORE_KEYS = Map.of(
      "file", List.of("type", "path", "retention"),
      "jdbc", List.of("type", "url", "user", "password", "schema", "retention"),
      "memory", List.of("type", "retention"));
  static final List<String> STORE_TYPES = List.of("file", "jdbc", "memory");
  static final Map<String, List<String>> NOTIFIER_KEYS = Map.of(
      "console", List.of("type"),
      "slack", List.of("type", "webhookUrl"));
  static final List<String> NOTIFIER_TYPES = List.of("console", "slack");

  private static final Pattern DAYS = Pattern.compile("([0-9]{1,6})d");
  private static final Pattern SQL_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private final AppEnvironment env;

  ConfigLoader(AppEnvironment env) {
    this.env = env;
  }

  /** The effective configuration; {@code explicitFile} is the {@code --config} option, if given. */
  AppConfig load(Optional<String> explicitFile) {
    if (explicitFile.isPresent()) {
      return readRequired(explicitFile.get(), "given with --config");
    }
    Optional<String> fromEnv = env.variable(ENV_CONFIG);
    if (fromEnv.isPresent()) {
      return readRequired(fromEnv.get(), "named by $" + ENV_CONFIG);
    }
    Path local = env.workingDirectory().resolve(LOCAL_FILE);
    if (Files.isRegularFile(local)) {
      return read(local, LOCAL_FILE);
    }
    Path user = env.userConfigFile();
    if (Files.isRegularFile(user)) {
      return read(user, user.toString());
    }
    return AppConfig.defaults("built-in defaults (no " + LOCAL_FILE + " in the working directory, no " + user + ")",
        env.defaultStateDirectory(), SourcesConfig.defaults(env));
  }

  private AppConfig readRequired(String given, String how) {
    Path file = env.resolve(given);
    if (!Files.exists(file)) {
      throw new ConfigException("config file " + given + " (" + how + ") does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file " + given + " (" + how + ") is not a regular file");
    }
    return read(file, given);
  }

  private AppConfig read(Path file, String label) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + label + " does not exist", e);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + label + ": " + e, e);
    }
    return parse(text, label, file);
  }

  /** Validates {@code text}, the content of {@code file}; messages name the file as {@code label}. */
  AppConfig parse(String text, String label, Path file) {
    Path baseDirectory = file.toAbsolutePath().getParent();
    return new Validation(label, baseDirectory).config(new YamlReader(label).read(text), file);
  }

  /** One validation run over one file. */
  private final class Validation extends ConfigNodes {
    private final Path baseDirectory;

    Validation(String label, Path baseDirectory) {
      super(label, env);
      this.baseDirectory = baseDirectory;
    }

    AppConfig config(Optional<YamlNode> document, Path file) {
      Path stateDirectory = env.defaultStateDirectory();
      YamlNode.Mapping root = document.isEmpty() ? new YamlNode.Mapping(1, Map.of())
          : mapping(document.get(), "the configuration", TOP_KEYS);
      checkKeys(root, "", TOP_KEYS);
      Map<String, YamlNode.Entry> entries = root.entries();

      List<TokenBudget> budgets = new BudgetsConfig(this).budgets(root);
      StoreConfig store = entries.containsKey("store") ? store(entries.get("store"))
          : new StoreConfig.File(stateDirectory);
      List<NotifierConfig> notifiers = entries.containsKey("notifiers") ? notifiers(entries.get("notifiers"))
          : List.of(new NotifierConfig.Console());
      Optional<Duration> retention = entries.containsKey("store") ? retention(entries.get("store"))
          : Optional.empty();
      List<ModelPrice> prices = entries.containsKey("prices") ? new PricesConfig(this).prices(entries.get("prices"))
          : List.of();
      Duration reservationTimeout = entries.containsKey(HardLimitsConfig.TIMEOUT_KEY)
          ? new HardLimitsConfig(this).timeout(entries.get(HardLimitsConfig.TIMEOUT_KEY))
          : TokenTracker.DEFAULT_RESERVATION_TIMEOUT;
      List<SourceConfig> sources = new SourcesConfig(this, env, baseDirectory).sources(root);
      return new AppConfig(file.toString(), Optional.of(file), budgets, store, notifiers, stateDirectory, retention,
          prices, reservationTimeout, sources);
    }

    /** {@code store.retention}: a number of days such as {@code 400d}. */
    private Optional<Duration> retention(YamlNode.Entry storeEntry) {
      if (!(storeEntry.value() instanceof YamlNode.Mapping store) || !store.entries().containsKey("retention")) {
        return Optional.empty();
      }
      YamlNode.Scalar node = scalar(store.entries().get("retention"), "store.retention");
      String text = expand(node, "store.retention").trim();
      java.util.regex.Matcher days = DAYS.matcher(text);
      if (!days.matches() || Long.parseLong(days.group(1)) == 0) {
        throw error(node, "store.retention must be a number of days such as 400d (at least 1d), got " + quote(text));
      }
      return Optional.of(Duration.ofDays(Long.parseLong(days.group(1))));
    }

    // ---- store ----

    private StoreConfig store(YamlNode.Entry entry) {
      Set<String> allKeys = union(STORE_KEYS);
      YamlNode.Mapping store = mapping(entry.value(), "store", List.copyOf(allKeys));
      checkKeys(store, "store.", List.copyOf(allKeys));
      Map<String, YamlNode.Entry> e = store.entries();
      if (!e.containsKey("type")) {
        throw new ConfigException(label + " line " + entry.keyLine() + ": store.type is missing (one of "
            + String.join(", ", STORE_TYPES) + ")");
      }
      YamlNode.Scalar typeNode = scalar(e.get("type"), "store.type");
      String type = expand(typeNode, "store.type").trim().toLowerCase(Locale.ROOT);
      if (!STORE_KEYS.containsKey(type)) {
        throw error(typeNode, "store.type must be one of " + String.join(", ", STORE_TYPES) + ", got "
            + quote(typeNode.text()));
      }
      checkKeysOfType(store, "store.", "a " + type + " store", STORE_KEYS.get(type));
      switch (type) {
        case "memory":
          return new StoreConfig.Memory();
        case "file": {
          Path path = e.containsKey("path") ? path(scalar(e.get("path"), "store.path"), "store.path")
              : env.defaultStateDirectory();
          return new StoreConfig.File(path);
        }
        default:
          return jdbc(entry, e);
      }
    }

    private StoreConfig jdbc(YamlNode.Entry storeEntry, Map<String, YamlNode.Entry> e) {
      if (!e.containsKey("url")) {
        throw new ConfigException(label + " line " + storeEntry.keyLine()
            + ": store.url is required for a jdbc store (e.g. jdbc:postgresql://localhost/tokenwatch)");
      }
      YamlNode.Scalar urlNode = scalar(e.get("url"), "store.url");
      String url = expand(urlNode, "store.url").trim();
      if (!url.startsWith("jdbc:")) {
        throw error(urlNode, "store.url must be a JDBC URL starting with \"jdbc:\", got "
            + quote(StoreConfig.Jdbc.redact(url)));
      }
      Optional<String> user = Optional.empty();
      if (e.containsKey("user")) {
        user = Optional.of(expand(scalar(e.get("user"), "store.user"), "store.user"));
      }
      Optional<Secret> password = Optional.empty();
      if (e.containsKey("password")) {
        password = Optional.of(new Secret(expand(scalar(e.get("password"), "store.password"), "store.password")));
      }
      Optional<String> schema = Optional.empty();
      if (e.containsKey("schema")) {
        YamlNode.Scalar node = scalar(e.get("schema"), "store.schema");
        String text = expand(node, "store.schema");
        if (!SQL_IDENTIFIER.matcher(text).matches()) {
          throw error(node, "store.schema must be an SQL identifier (a letter or '_', then letters, digits or '_', "
              + "at most 63), got " + quote(text));
        }
        schema = Optional.of(text);
      }
      return new StoreConfig.Jdbc(url, user, password, schema);
    }

    // ---- notifiers ----

    private List<NotifierConfig> notifiers(YamlNode.Entry entry) {
      if (!(entry.value() instanceof YamlNode.Sequence list)) {
        YamlNode value = entry.value();
        String hint = value instanceof YamlNode.Scalar s && s.text() == null
            ? "; write notifiers: [] for no notifiers, or leave the key out for the console default" : "";
        throw error(value, "notifiers must be a list such as [{type: console}], got " + value.kind() + hint);
      }
      List<NotifierConfig> notifiers = new ArrayList<>();
      Set<String> allKeys = union(NOTIFIER_KEYS);
      for (int i = 0; i < list.items().size(); i++) {
        String key = "notifiers[" + i + "]";
        YamlNode.Mapping item = mapping(list.items().get(i), key, List.copyOf(allKeys));
        checkKeys(item, key + ".", List.copyOf(allKeys));
        Map<String, YamlNode.Entry> e = item.entries();
        if (!e.containsKey("type")) {
          throw error(item, key + ".type is missing (one of " + String.join(", ", NOTIFIER_TYPES) + ")");
        }
        YamlNode.Scalar typeNode = scalar(e.get("type"), key + ".type");
        String type = expand(typeNode, key + ".type").trim().toLowerCase(Locale.ROOT);
        if (!NOTIFIER_KEYS.containsKey(type)) {
          throw error(typeNode, key + ".type must be one of " + String.join(", ", NOTIFIER_TYPES) + ", got "
              + quote(typeNode.text()));
        }
        checkKeysOfType(item, key + ".", "a " + type + " notifier", NOTIFIER_KEYS.get(type));
        notifiers.add(type.equals("console") ? new NotifierConfig.Console() : slack(item, key));
      }
      return notifiers;
    }

    private NotifierConfig slack(YamlNode.Mapping item, String key) {
      YamlNode.Entry urlEntry = item.entries().get("webhookUrl");
      if (urlEntry == null) {
        throw error(item, key + ".webhookUrl is required for a slack notifier (e.g. ${SLACK_WEBHOOK_URL})");
      }
      YamlNode.Scalar node = scalar(urlEntry, key + ".webhookUrl");
      String url = expand(node, key + ".webhookUrl").trim();
      try {
        URI uri = new URI(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getRawAuthority() == null) {
          throw error(node, key + ".webhookUrl must be an https URL such as https://hooks.slack.com/services/... "
              + "(the value is not shown: it is a secret)");
        }
      } catch (URISyntaxException ex) {
        throw error(node, key + ".webhookUrl is not a valid URL (the value is not shown: it is a secret)");
      }
      return new NotifierConfig.Slack(new Secret(url));
    }

    // ---- paths ----

    private Path path(YamlNode.Scalar node, String key) {
      String text = expand(node, key).trim();
      if (text.isEmpty()) {
        throw error(node, key + " must be a directory path, got \"\"");
      }
      try {
        return baseDirectory.resolve(env.expandHome(text)).normalize();
      } catch (java.nio.file.InvalidPathException ex) {
        throw error(node, key + " must be a directory path, got " + quote(text) + " (" + ex.getReason() + ")");
      }
    }
  }

  private static Set<String> union(Map<String, List<String>> keysByType) {
    Set<String> all = new LinkedHashSet<>(List.of("type"));
    keysByType.values().forEach(all::addAll);
    return all;
  }
}
