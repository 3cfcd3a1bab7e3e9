package dev.tokenwatch.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Typed access to one configuration file's {@link YamlNode}s: shapes, known keys, {@code ${NAME}}
 * expansion, paths, and errors naming the file, the line, the key and the value. Every section
 * reader goes through it.
 */
final class ConfigNodes {

  private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9][0-9_]*");
  private static final String GOT = ", got ";

  /** The file as messages name it. */
  final String label;
  final ConfigEnvironment env;
  private final Variables variables;
  private final Path baseDirectory;

  /** {@code baseDirectory}: where relative paths of the file are resolved (the file's directory). */
  ConfigNodes(String label, ConfigEnvironment env, Path baseDirectory) {
    this.label = label;
    this.env = env;
    this.variables = new Variables(env.variables());
    this.baseDirectory = baseDirectory;
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
        throw at(entry.keyLine(), message);
      }
    }
  }

  void checkKeysOfType(YamlNode.Mapping mapping, String prefix, String what, List<String> keysOfType) {
    for (YamlNode.Entry entry : mapping.entries().values()) {
      if (!keysOfType.contains(entry.key())) {
        throw at(entry.keyLine(), prefix + entry.key() + " does not apply to " + what + " (its keys: "
            + String.join(", ", keysOfType) + ")");
      }
    }
  }

  // ---- values ----

  /** The scalar's text with {@code ${NAME}} and {@code ${NAME:-default}} replaced ({@link Variables}). */
  String expand(YamlNode.Scalar node, String key) {
    try {
      return variables.expand(node.text());
    } catch (IllegalArgumentException e) {
      throw error(node, key + " " + e.getMessage());
    }
  }

  /** {@code entry}'s single value, expanded and trimmed. */
  String text(YamlNode.Entry entry, String key) {
    return expand(scalar(entry, key), key).trim();
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

  /**
   * A {@link Durations duration} such as {@code 90s}, {@code 10m} or {@code 1h}; its range is the
   * model's rule, {@code zeroAllowed} and {@code defaultValue} only complete the message for a value
   * that is not a duration.
   */
  java.time.Duration duration(YamlNode.Entry entry, String key, boolean zeroAllowed, java.time.Duration defaultValue) {
    YamlNode.Scalar node = scalar(entry, key);
    String text = expand(node, key).trim();
    return Durations.parse(text).orElseThrow(() ->
        error(node, Durations.expectation(key, zeroAllowed, defaultValue) + GOT + quote(text)));
  }

  /** A file or directory: {@code ~} expanded, relative to the configuration file's directory. */
  Path path(YamlNode.Scalar node, String key, String what) {
    String text = expand(node, key).trim();
    if (text.isEmpty()) {
      throw error(node, key + " must be " + what + ", got \"\"");
    }
    try {
      return baseDirectory.resolve(env.expandHome(text)).normalize();
    } catch (InvalidPathException ex) {
      throw error(node, key + " must be " + what + ", got " + quote(text) + " (" + ex.getReason() + ")");
    }
  }

  String describe(YamlNode node, String key) {
    return node instanceof YamlNode.Scalar s && s.text() != null ? quote(expand(s, key)) : node.kind();
  }

  // ---- errors ----

  ConfigException error(YamlNode node, String message) {
    return at(node.line(), message);
  }

  ConfigException at(int line, String message) {
    return new ConfigException(label + " line " + line + ": " + message);
  }

  /**
   * Where the model's field was read from: the key as written and its node; {@code asWritten}:
   * whether a message shows the value as written (false for a value the model shows redacted).
   */
  record Origin(String key, YamlNode node, boolean asWritten) {
    Origin(String key, YamlNode node) {
      this(key, node, true);
    }
  }

  /**
   * A rule of the model (the domain's builders, the model's records) that refused a value, as a
   * configuration error. The model's messages start with the field ({@code historySize must be
   * ...}) and end with the value ({@code , got 0}); the field becomes the key it was read from
   * ({@code budgets[1].historySize}), the line that key's, and a single value is shown as written
   * ({@code got "0"}). A message naming none of {@code fields} is put at {@code fallback}, the
   * field prefixed with {@code prefix}.
   */
  ConfigException rejected(IllegalArgumentException e, Map<String, Origin> fields, String prefix,
      YamlNode fallback) {
    String message = String.valueOf(e.getMessage());
    Optional<String> field = fields.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
        .filter(f -> message.startsWith(f + " ") || message.startsWith(f + ":")).findFirst();
    if (field.isEmpty()) {
      return error(fallback, prefix + message);
    }
    Origin origin = fields.get(field.get());
    String text = origin.key() + message.substring(field.get().length());
    int got = text.lastIndexOf(GOT);
    if (got >= 0 && origin.asWritten() && origin.node() instanceof YamlNode.Scalar scalar && scalar.text() != null) {
      text = text.substring(0, got) + GOT + quote(expand(scalar, origin.key()).trim());
    }
    return error(origin.node(), text);
  }

  /** {@link #rejected(IllegalArgumentException, Map, String, YamlNode)} for a rule about one field. */
  ConfigException rejected(IllegalArgumentException e, String field, String key, YamlNode node) {
    return rejected(e, Map.of(field, new Origin(key, node)), key + ": ", node);
  }

  /** {@code text} in double quotes, with quotes and backslashes escaped. */
  static String quote(String text) {
    return ConfigException.quote(text);
  }
}
