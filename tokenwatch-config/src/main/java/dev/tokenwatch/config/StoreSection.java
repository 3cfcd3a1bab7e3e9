package dev.tokenwatch.config;

import dev.tokenwatch.config.ConfigNodes.Origin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration's {@code store}: its {@code type} and the keys of that type, read into a
 * {@link StoreConfig} (whose records hold the rules: a JDBC URL, an SQL schema name), and {@code
 * store.retention}. Without the key, a file store in the state directory.
 */
final class StoreSection {

  static final Map<String, List<String>> KEYS = Map.of(
      "file", List.of("type", "path", "retention"),
      "jdbc", List.of("type", "url", "user", "password", "schema", "retention"),
      "memory", List.of("type", "retention"));

  private static final Pattern DAYS = Pattern.compile("([0-9]{1,6})d");

  private final ConfigNodes nodes;

  StoreSection(ConfigNodes nodes) {
    this.nodes = nodes;
  }

  /** The store of the configuration's root mapping. */
  StoreConfig store(YamlNode.Mapping root) {
    YamlNode.Entry entry = root.entries().get("store");
    if (entry == null) {
      return new StoreConfig.File(nodes.env.defaultStateDirectory());
    }
    List<String> allKeys = List.copyOf(union());
    YamlNode.Mapping store = nodes.mapping(entry.value(), "store", allKeys);
    nodes.checkKeys(store, "store.", allKeys);
    Map<String, YamlNode.Entry> e = store.entries();
    if (!e.containsKey("type")) {
      throw nodes.at(entry.keyLine(), "store.type is missing (one of " + String.join(", ", StoreConfig.TYPES) + ")");
    }
    YamlNode.Scalar typeNode = nodes.scalar(e.get("type"), "store.type");
    String type = nodes.expand(typeNode, "store.type").trim().toLowerCase(Locale.ROOT);
    if (!KEYS.containsKey(type)) {
      throw nodes.error(typeNode, "store.type must be one of " + String.join(", ", StoreConfig.TYPES) + ", got "
          + ConfigNodes.quote(typeNode.text()));
    }
    nodes.checkKeysOfType(store, "store.", "a " + type + " store", KEYS.get(type));
    return switch (type) {
      case "memory" -> new StoreConfig.Memory();
      case "file" -> new StoreConfig.File(e.containsKey("path")
          ? nodes.path(nodes.scalar(e.get("path"), "store.path"), "store.path", "a directory path")
          : nodes.env.defaultStateDirectory());
      default -> jdbc(entry, store);
    };
  }

  private StoreConfig jdbc(YamlNode.Entry storeEntry, YamlNode.Mapping store) {
    Map<String, YamlNode.Entry> e = store.entries();
    // without the key, the record's rule (a URL is required) is reported at the store's line
    YamlNode urlNode = e.containsKey("url") ? nodes.scalar(e.get("url"), "store.url")
        : new YamlNode.Scalar(storeEntry.keyLine(), null);
    String url = urlNode instanceof YamlNode.Scalar s && s.text() != null ? nodes.expand(s, "store.url").trim() : null;
    Optional<String> user = optional(e, "user");
    Optional<Secret> password = optional(e, "password").map(Secret::new);
    Optional<String> schema = optional(e, "schema");
    try {
      return new StoreConfig.Jdbc(url, user, password, schema);
    } catch (IllegalArgumentException ex) {
      // the URL is shown as the record shows it: with its secrets redacted
      throw nodes.rejected(ex, Map.of("url", new Origin("store.url", urlNode, false),
          "schema", new Origin("store.schema", e.containsKey("schema") ? e.get("schema").value() : store)),
          "store.", store);
    }
  }

  private Optional<String> optional(Map<String, YamlNode.Entry> e, String name) {
    String key = "store." + name;
    return e.containsKey(name) ? Optional.of(nodes.expand(nodes.scalar(e.get(name), key), key)) : Optional.empty();
  }

  /** {@code store.retention}: a number of days such as {@code 400d}; empty for ever. */
  Optional<Duration> retention(YamlNode.Mapping root) {
    YamlNode.Entry storeEntry = root.entries().get("store");
    if (storeEntry == null || !(storeEntry.value() instanceof YamlNode.Mapping store)
        || !store.entries().containsKey("retention")) {
      return Optional.empty();
    }
    YamlNode.Scalar node = nodes.scalar(store.entries().get("retention"), "store.retention");
    String text = nodes.expand(node, "store.retention").trim();
    Matcher days = DAYS.matcher(text);
    if (!days.matches() || Long.parseLong(days.group(1)) == 0) {
      throw nodes.error(node, "store.retention must be a number of days such as 400d (at least 1d), got "
          + ConfigNodes.quote(text));
    }
    return Optional.of(Duration.ofDays(Long.parseLong(days.group(1))));
  }

  private static Set<String> union() {
    Set<String> all = new LinkedHashSet<>(List.of("type"));
    StoreConfig.TYPES.forEach(type -> all.addAll(KEYS.get(type)));
    return all;
  }
}
