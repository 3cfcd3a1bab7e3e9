package dev.tokenwatch.config;

import dev.tokenwatch.config.ConfigNodes.Origin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The configuration's {@code notifiers}: a list of notifiers ({@code [{type: console}]}), or a
 * mapping of that list ({@code sinks}) and how long alerts are delivered ({@code giveUpAfter},
 * {@code waitOnExit}), read into {@link NotifierSettings}, whose records hold the rules. Without
 * the key, alerts go to the console.
 */
final class NotifiersSection {

  static final List<String> SETTINGS_KEYS =
      List.of("sinks", NotifierSettings.GIVE_UP_AFTER_KEY, NotifierSettings.WAIT_ON_EXIT_KEY);
  static final List<String> TYPES = List.of("console", "slack");
  static final Map<String, List<String>> KEYS = Map.of(
      "console", List.of("type"),
      "slack", List.of("type", "webhookUrl"));

  private final ConfigNodes nodes;

  NotifiersSection(ConfigNodes nodes) {
    this.nodes = nodes;
  }

  /** The notifier settings of the configuration's root mapping. */
  NotifierSettings settings(YamlNode.Mapping root) {
    YamlNode.Entry entry = root.entries().get("notifiers");
    if (entry == null) {
      return NotifierSettings.defaults();
    }
    if (!(entry.value() instanceof YamlNode.Mapping settings)) {
      return NotifierSettings.of(sinks(entry.value(), "notifiers"));
    }
    if (settings.entries().containsKey("type")) {
      throw nodes.error(settings, "notifiers must be a list such as [{type: console}], or a mapping with keys "
          + String.join(", ", SETTINGS_KEYS) + " whose sinks is that list; got a mapping with type");
    }
    nodes.checkKeys(settings, "notifiers.", SETTINGS_KEYS);
    Map<String, YamlNode.Entry> e = settings.entries();
    List<NotifierConfig> sinks = e.containsKey("sinks") ? sinks(e.get("sinks").value(), "notifiers.sinks")
        : List.of(new NotifierConfig.Console());
    Map<String, Origin> fields = new HashMap<>();
    Duration giveUpAfter = duration(e, NotifierSettings.GIVE_UP_AFTER_KEY, false,
        NotifierSettings.DEFAULT_GIVE_UP_AFTER, fields);
    Duration waitOnExit = duration(e, NotifierSettings.WAIT_ON_EXIT_KEY, true,
        NotifierSettings.DEFAULT_WAIT_ON_EXIT, fields);
    try {
      return new NotifierSettings(sinks, giveUpAfter, waitOnExit);
    } catch (IllegalArgumentException ex) {
      throw nodes.rejected(ex, fields, "notifiers.", settings);
    }
  }

  private Duration duration(Map<String, YamlNode.Entry> e, String name, boolean zeroAllowed, Duration defaultValue,
      Map<String, Origin> fields) {
    YamlNode.Entry entry = e.get(name);
    if (entry == null) {
      return defaultValue;
    }
    String key = "notifiers." + name;
    fields.put(name, new Origin(key, entry.value()));
    return nodes.duration(entry, key, zeroAllowed, defaultValue);
  }

  private List<NotifierConfig> sinks(YamlNode value, String key) {
    if (!(value instanceof YamlNode.Sequence list)) {
      String hint = value instanceof YamlNode.Scalar s && s.text() == null
          ? "; write " + key + ": [] for no notifiers, or leave the key out for the console default" : "";
      throw nodes.error(value, key + " must be a list such as [{type: console}], got " + value.kind() + hint);
    }
    List<NotifierConfig> notifiers = new ArrayList<>();
    Set<String> allKeys = new LinkedHashSet<>(List.of("type"));
    TYPES.forEach(type -> allKeys.addAll(KEYS.get(type)));
    for (int i = 0; i < list.items().size(); i++) {
      String itemKey = key + "[" + i + "]";
      YamlNode.Mapping item = nodes.mapping(list.items().get(i), itemKey, List.copyOf(allKeys));
      nodes.checkKeys(item, itemKey + ".", List.copyOf(allKeys));
      Map<String, YamlNode.Entry> e = item.entries();
      if (!e.containsKey("type")) {
        throw nodes.error(item, itemKey + ".type is missing (one of " + String.join(", ", TYPES) + ")");
      }
      YamlNode.Scalar typeNode = nodes.scalar(e.get("type"), itemKey + ".type");
      String type = nodes.expand(typeNode, itemKey + ".type").trim().toLowerCase(Locale.ROOT);
      if (!KEYS.containsKey(type)) {
        throw nodes.error(typeNode, itemKey + ".type must be one of " + String.join(", ", TYPES) + ", got "
            + ConfigNodes.quote(typeNode.text()));
      }
      nodes.checkKeysOfType(item, itemKey + ".", "a " + type + " notifier", KEYS.get(type));
      notifiers.add(type.equals("console") ? new NotifierConfig.Console() : slack(item, itemKey));
    }
    return notifiers;
  }

  private NotifierConfig slack(YamlNode.Mapping item, String key) {
    YamlNode.Entry urlEntry = item.entries().get("webhookUrl");
    if (urlEntry == null) {
      throw nodes.error(item, key + ".webhookUrl is required for a slack notifier (e.g. ${SLACK_WEBHOOK_URL})");
    }
    YamlNode.Scalar node = nodes.scalar(urlEntry, key + ".webhookUrl");
    String url = nodes.expand(node, key + ".webhookUrl").trim();
    try {
      return new NotifierConfig.Slack(new Secret(url));
    } catch (IllegalArgumentException ex) {
      // never shown as written: the URL is a secret
      throw nodes.rejected(ex, Map.of("webhookUrl", new Origin(key + ".webhookUrl", node, false)), key + ".", node);
    }
  }
}
