package dev.tokenwatch.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on. Jackson's data binding drops locations, so the config
 * is read into these nodes with the streaming parser and validated by hand, which lets every error
 * name its line.
 */
sealed interface YamlNode {

  /** 1-based line of the value in its file. */
  int line();

  /** What kind of value this is, for messages ("a list", "a mapping", "a value"). */
  String kind();

  /** A mapping; keys keep the order of the file. */
  record Mapping(int line, Map<String, Entry> entries) implements YamlNode {
    public Mapping {
      entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    @Override
    public String kind() {
      return "a mapping";
    }
  }

  /** One key of a mapping, with the line of the key. */
  record Entry(String key, int keyLine, YamlNode value) {}

  /** A sequence. */
  record Sequence(int line, List<YamlNode> items) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String kind() {
      return "a list";
    }
  }

  /** A scalar as written in the file; {@code text} is null for an empty value or {@code ~}/{@code null}. */
  record Scalar(int line, String text) implements YamlNode {
    @Override
    public String kind() {
      return text == null ? "an empty value" : "a value";
    }
  }
}
