package dev.tokenwatch.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reading values out of one configuration file's {@link YamlNode}s: shapes, known keys, {@code
 * ${NAME}} expansion and errors naming the file and line. Shared by {@link ConfigLoader} and {@link
 * BudgetsConfig}.
 */
class ConfigNodes {

  private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9][0-9_]*");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The file as messages name it. */
  final String label;
  private final AppEnvironment env;

  ConfigNodes(String label, AppEnvironment env) {
    this.label = label;
    this.env = env;
  }

  // ---- shapes and keys ----

  YamlNode.Mapping mapping(YamlNode node, String key, List<String> knownKeys) {
    if (node instanceof YamlNode.Mapping m) {
      return m;
    }
    throw error(node, key + " must be a mapping with keys such as " + String.join(", ", knownKeys) + ", got "
        + node.kind());
  }

  /** A mapping that may be left empty ({@code budget:} with every key commented out means defaults). */
  YamlNode.Mapping optionalMapping(YamlNode.Entry entry, String key, List<String> knownKeys) {
    if (entry.value() instanceof YamlNode.Scalar s && s.text() == null) {
      return new YamlNode.Mapping(entry.keyLine(), Map.of());
    }
    return mapping(entry.value(), key, knownKeys);
  }

  YamlNode.Scalar scalar(YamlNode.Entry entry, String key) {
    if (entry.value() instanceof YamlNode.Scalar s && s.text() != null) {
      return s;
    }
    YamlNode value = entry.value();
    throw error(value instanceof YamlNode.Scalar ? new YamlNode.Scalar(entry.keyLine(), null) : value,
        key + " must be a single value, got " + value.kind());
  }

  void checkKeys(YamlNode.Mapping mapping, String prefix, List<String> known) {
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

  void checkKeysOfType(YamlNode.Mapping mapping, String prefix, String what, List<String> keysOfType) {
    for (YamlNode.Entry entry : mapping.entries().values()) {
      if (!keysOfType.contains(entry.key())) {
        throw new ConfigException(label + " line " + entry.keyLine() + ": " + prefix + entry.key()
            + " does not apply to " + what + " (its keys: " + String.join(", ", keysOfType) + ")");
      }
    }
  }

  // ---- values ----

  /** The scalar's text with {@code ${NAME}} and {@code ${NAME:-default}} replaced. */
  String expand(YamlNode.Scalar node, String key) {
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
  long wholeNumber(String text) {
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

  String describe(YamlNode node, String key) {
    return node instanceof YamlNode.Scalar s && s.text() != null ? quote(expand(s, key)) : node.kind();
  }

  ConfigException error(YamlNode node, String message) {
    return new ConfigException(label + " line " + node.line() + ": " + message);
  }

  /** {@code text} in double quotes, with quotes and backslashes escaped. */
  static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
