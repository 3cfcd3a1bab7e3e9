package dev.tokenwatch.app;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.cost.ModelPrice;
import dev.tokenwatch.domain.cost.Prices;
import dev.tokenwatch.domain.cost.Rate;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.ZoneId;
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
 * <p>Every error is a {@link ConfigException} naming file, line and key. {@code ${NAME}} and
 * {@code ${NAME:-default}} in any value are replaced by environment variables; {@code $${} stands
 * for a literal {@code ${}.
 */
final class ConfigLoader {

  static final String ENV_CONFIG = "TOKENWATCH_CONFIG";
  static final String LOCAL_FILE = "tokenwatch.yaml";

  static final List<String> TOP_KEYS = List.of("budget", "store", "notifiers", "prices");
  /** Keys of one model under {@code prices:}, in USD per million tokens. */
  static final List<String> PRICE_KEYS = List.of("input", "output", "cacheWrite", "cacheWrite1h", "cacheRead");
  static final List<String> BUDGET_KEYS = List.of("name", "limit", "period", "alertThresholds", "zone", "historySize");
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
  private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9][0-9_]*");
  private static final Pattern BUDGET_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
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
        env.defaultStateDirectory());
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
  private final class Validation {
    private final String label;
    private final Path baseDirectory;

    Validation(String label, Path baseDirectory) {
      this.label = label;
      this.baseDirectory = baseDirectory;
    }

    AppConfig config(Optional<YamlNode> document, Path file) {
      Path stateDirectory = env.defaultStateDirectory();
      YamlNode.Mapping root = document.isEmpty() ? new YamlNode.Mapping(1, Map.of())
          : mapping(document.get(), "the configuration", TOP_KEYS);
      checkKeys(root, "", TOP_KEYS);
      Map<String, YamlNode.Entry> entries = root.entries();

      TokenBudget budget = entries.containsKey("budget") ? budget(entries.get("budget")) : AppConfig.defaultBudget();
      StoreConfig store = entries.containsKey("store") ? store(entries.get("store"))
          : new StoreConfig.File(stateDirectory);
      List<NotifierConfig> notifiers = entries.containsKey("notifiers") ? notifiers(entries.get("notifiers"))
          : List.of(new NotifierConfig.Console());
      Optional<Duration> retention = entries.containsKey("store") ? retention(entries.get("store"))
          : Optional.empty();
      List<ModelPrice> prices = entries.containsKey("prices") ? prices(entries.get("prices")) : List.of();
      return new AppConfig(file.toString(), Optional.of(file), budget, store, notifiers, stateDirectory, retention,
          prices);
    }

    // ---- prices ----

    /** {@code prices: {MODEL: {input: 0.2, output: 0.6, ...}}}, USD per million tokens. */
    private List<ModelPrice> prices(YamlNode.Entry entry) {
      if (entry.value() instanceof YamlNode.Scalar s && s.text() == null) {
        return List.of();
      }
      if (!(entry.value() instanceof YamlNode.Mapping models)) {
        throw error(entry.value(), "prices must be a mapping of model names to prices such as "
            + "{my-llama: {input: 0.2, output: 0.6}} (USD per million tokens), got " + entry.value().kind());
      }
      List<ModelPrice> prices = new ArrayList<>();
      for (YamlNode.Entry model : models.entries().values()) {
        String key = "prices." + model.key();
        if (model.key().isBlank() || model.key().length() > TokenUsageEvent.MAX_MODEL_LENGTH) {
          throw new ConfigException(label + " line " + model.keyLine() + ": prices must name models of 1 to "
              + TokenUsageEvent.MAX_MODEL_LENGTH + " characters, got " + quote(model.key()));
        }
        YamlNode.Mapping fields = mapping(model.value(), key, PRICE_KEYS);
        checkKeys(fields, key + ".", PRICE_KEYS);
        Map<String, YamlNode.Entry> e = fields.entries();
        if (!e.containsKey("input") && !e.containsKey("output")) {
          throw new ConfigException(label + " line " + model.keyLine() + ": " + key
              + " needs at least input or output (USD per million tokens)");
        }
        Prices modelPrices = new Prices(rate(e, "input", key), rate(e, "output", key), rate(e, "cacheWrite", key),
            rate(e, "cacheWrite1h", key), rate(e, "cacheRead", key));
        prices.add(ModelPrice.of(model.key(), modelPrices, label + " line " + model.keyLine()));
      }
      return prices;
    }

    private Rate rate(Map<String, YamlNode.Entry> fields, String name, String modelKey) {
      if (!fields.containsKey(name)) {
        return null;
      }
      String key = modelKey + "." + name;
      YamlNode.Scalar node = scalar(fields.get(name), key);
      String text = expand(node, key).trim();
      BigDecimal value;
      try {
        value = new BigDecimal(text.replace("_", ""));
      } catch (NumberFormatException ex) {
        value = null;
      }
      if (value == null || value.signum() < 0) {
        throw error(node, key + " must be a non-negative decimal number of USD per million tokens such as 0.2, got "
            + quote(text));
      }
      return Rate.of(value);
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

    // ---- budget ----

    private TokenBudget budget(YamlNode.Entry entry) {
      YamlNode.Mapping budget = optionalMapping(entry, "budget", BUDGET_KEYS);
      checkKeys(budget, "budget.", BUDGET_KEYS);
      TokenBudget.Builder builder = AppConfig.defaultBudget().toBuilder();
      Map<String, YamlNode.Entry> e = budget.entries();
      if (e.containsKey("name")) {
        YamlNode.Scalar node = scalar(e.get("name"), "budget.name");
        String name = expand(node, "budget.name");
        if (!BUDGET_NAME.matcher(name).matches()) {
          throw error(node, "budget.name must be 1 to 100 letters, digits, '.', '_' or '-', got " + quote(name));
        }
        builder.name(name);
      }
      if (e.containsKey("limit")) {
        YamlNode.Scalar node = scalar(e.get("limit"), "budget.limit");
        String text = expand(node, "budget.limit");
        long limit = wholeNumber(text);
        if (limit <= 0) {
          throw error(node, "budget.limit must be a positive whole number, got " + quote(text));
        }
        builder.limit(limit);
      }
      if (e.containsKey("period")) {
        YamlNode.Scalar node = scalar(e.get("period"), "budget.period");
        String text = expand(node, "budget.period");
        try {
          builder.period(BudgetPeriod.parse(text));
        } catch (IllegalArgumentException ex) {
          throw error(node, "budget.period must be one of daily, weekly, monthly, got " + quote(text));
        }
      }
      if (e.containsKey("alertThresholds")) {
        builder.alertThresholds(thresholds(e.get("alertThresholds")));
      }
      if (e.containsKey("zone")) {
        YamlNode.Scalar node = scalar(e.get("zone"), "budget.zone");
        String text = expand(node, "budget.zone");
        try {
          builder.zone(ZoneId.of(text));
        } catch (DateTimeException ex) {
          throw error(node, "budget.zone must be a time zone id such as UTC or Europe/Berlin, got " + quote(text));
        }
      }
      if (e.containsKey("historySize")) {
        YamlNode.Scalar node = scalar(e.get("historySize"), "budget.historySize");
        String text = expand(node, "budget.historySize");
        long size = wholeNumber(text);
        if (size < 1 || size > TokenBudget.MAX_HISTORY_SIZE) {
          throw error(node, "budget.historySize must be a whole number from 1 to " + TokenBudget.MAX_HISTORY_SIZE
              + ", got " + quote(text));
        }
        builder.historySize((int) size);
      }
      try {
        return builder.build();
      } catch (IllegalArgumentException ex) {
        // Every field was checked above; this only guards against the domain adding a rule.
        throw new ConfigException(label + " line " + entry.keyLine() + ": budget." + ex.getMessage(), ex);
      }
    }

    private List<Double> thresholds(YamlNode.Entry entry) {
      String key = "budget.alertThresholds";
      if (!(entry.value() instanceof YamlNode.Sequence list)) {
        throw error(entry.value(), key + " must be a list such as [0.5, 0.7, 0.8, 1.0], got "
            + describe(entry.value(), key));
      }
      if (list.items().isEmpty()) {
        throw error(list, key + " must list at least one threshold, got an empty list");
      }
      List<Double> thresholds = new ArrayList<>();
      for (int i = 0; i < list.items().size(); i++) {
        String itemKey = key + "[" + i + "]";
        YamlNode item = list.items().get(i);
        if (!(item instanceof YamlNode.Scalar scalar) || scalar.text() == null) {
          throw error(item, itemKey + " must be a ratio such as 0.8 or a percentage such as \"80%\", got "
              + item.kind());
        }
        String text = expand(scalar, itemKey);
        thresholds.add(threshold(scalar, itemKey, text));
      }
      return thresholds;
    }

    private double threshold(YamlNode.Scalar node, String key, String text) {
      String trimmed = text.trim();
      boolean percent = trimmed.endsWith("%");
      BigDecimal value;
      try {
        value = new BigDecimal(percent ? trimmed.substring(0, trimmed.length() - 1).trim() : trimmed);
      } catch (NumberFormatException ex) {
        throw error(node, key + " must be a ratio such as 0.8 or a percentage such as \"80%\", got " + quote(text));
      }
      if (percent) {
        value = value.movePointLeft(2);
      }
      if (value.signum() <= 0 || value.compareTo(BigDecimal.valueOf(TokenBudget.MAX_THRESHOLD)) > 0) {
        throw error(node, key + " must be above 0 and at most " + (int) TokenBudget.MAX_THRESHOLD
            + " (1000%), got " + quote(text));
      }
      return value.doubleValue();
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

    // ---- shapes and keys ----

    private YamlNode.Mapping mapping(YamlNode node, String key, List<String> knownKeys) {
      if (node instanceof YamlNode.Mapping m) {
        return m;
      }
      throw error(node, key + " must be a mapping with keys such as " + String.join(", ", knownKeys) + ", got "
          + node.kind());
    }

    /** A mapping that may be left empty ({@code budget:} with every key commented out means defaults). */
    private YamlNode.Mapping optionalMapping(YamlNode.Entry entry, String key, List<String> knownKeys) {
      if (entry.value() instanceof YamlNode.Scalar s && s.text() == null) {
        return new YamlNode.Mapping(entry.keyLine(), Map.of());
      }
      return mapping(entry.value(), key, knownKeys);
    }

    private YamlNode.Scalar scalar(YamlNode.Entry entry, String key) {
      if (entry.value() instanceof YamlNode.Scalar s && s.text() != null) {
        return s;
      }
      YamlNode value = entry.value();
      throw error(value instanceof YamlNode.Scalar ? new YamlNode.Scalar(entry.keyLine(), null) : value,
          key + " must be a single value, got " + value.kind());
    }

    private void checkKeys(YamlNode.Mapping mapping, String prefix, List<String> known) {
      for (YamlNode.Entry entry : mapping.entries().values()) {
        if (!known.contains(entry.key())) {
          String message = prefix + entry.key() + " is not a known key";
          Optional<String> suggestion = DidYouMean.closest(entry.key(), known);
          message += suggestion.map(s -> "; did you mean " + prefix + s + "?")
              .orElse(" (known keys: " + String.join(", ", known) + ")");
          throw new ConfigException(label + " line " + entry.keyLine() + ": " + message);
        }
      }
    }

    private void checkKeysOfType(YamlNode.Mapping mapping, String prefix, String what, List<String> keysOfType) {
      for (YamlNode.Entry entry : mapping.entries().values()) {
        if (!keysOfType.contains(entry.key())) {
          throw new ConfigException(label + " line " + entry.keyLine() + ": " + prefix + entry.key()
              + " does not apply to " + what + " (its keys: " + String.join(", ", keysOfType) + ")");
        }
      }
    }

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

    // ---- values ----

    /** The scalar's text with {@code ${NAME}} and {@code ${NAME:-default}} replaced. */
    private String expand(YamlNode.Scalar node, String key) {
      String text = node.text();
      if (text.indexOf('$') < 0) {
        return text;
      }
      StringBuilder out = new StringBuilder(text.length());
      int i = 0;
      while (i < text.length()) {
        if (text.startsWith("$${", i)) {
          out.append("${");
          i += 3;
        } else if (text.startsWith("${", i)) {
          int close = text.indexOf('}', i + 2);
          String inner = close < 0 ? "" : text.substring(i + 2, close);
          int dash = inner.indexOf(":-");
          String name = dash < 0 ? inner : inner.substring(0, dash);
          if (close < 0 || !ENV_NAME.matcher(name).matches()) {
            throw error(node, key + " has a malformed variable reference; write ${NAME} or ${NAME:-default}"
                + " (or $${ for a literal ${)");
          }
          String value = env.variables().get(name);
          if (dash >= 0) {
            out.append(value == null || value.isEmpty() ? inner.substring(dash + 2) : value);
          } else if (value == null) {
            throw error(node, key + " refers to environment variable " + name + ", which is not set");
          } else {
            out.append(value);
          }
          i = close + 1;
        } else {
          out.append(text.charAt(i++));
        }
      }
      return out.toString();
    }

    /** A whole number written with optional '_' separators, or -1 if {@code text} is not one. */
    private long wholeNumber(String text) {
      String trimmed = text.trim();
      if (!WHOLE_NUMBER.matcher(trimmed).matches()) {
        return -1;
      }
      try {
        return Long.parseLong(trimmed.replace("_", ""));
      } catch (NumberFormatException overflow) {
        return -1;
      }
    }

    private String describe(YamlNode node, String key) {
      return node instanceof YamlNode.Scalar s && s.text() != null ? quote(expand(s, key)) : node.kind();
    }

    private ConfigException error(YamlNode node, String message) {
      return new ConfigException(label + " line " + node.line() + ": " + message);
    }
  }

  private static Set<String> union(Map<String, List<String>> keysByType) {
    Set<String> all = new LinkedHashSet<>(List.of("type"));
    keysByType.values().forEach(all::addAll);
    return all;
  }

  private static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
