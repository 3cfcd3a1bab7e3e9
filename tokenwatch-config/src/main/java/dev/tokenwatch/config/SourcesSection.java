package dev.tokenwatch.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration's {@code sources:}: the usage logs {@code report}, {@code status}, {@code
 * check} and a bare {@code ingest} read first, each a {@code type} (one of the loader's source
 * types: the formats {@code ingest --format} knows) and a {@code path}. Without the key, Claude
 * Code's log directories where they exist; {@code sources: []} turns that off. Errors name file,
 * line, key and value.
 */
final class SourcesSection {

  static final List<String> SOURCE_KEYS = List.of("type", "path");
  /** Claude Code's own override of its configuration directory; several separated by commas. */
  static final String CLAUDE_CONFIG_DIR = "CLAUDE_CONFIG_DIR";

  private static final String EXAMPLE = " such as [{type: claude-code, path: ~/.claude/projects}]";

  private final ConfigNodes nodes;
  /** The types a source may have, in canonical spelling; empty: any (the caller does not read sources). */
  private final List<String> types;

  SourcesSection(ConfigNodes nodes, List<String> types) {
    this.nodes = nodes;
    this.types = types;
  }

  /** The sources of the configuration's root mapping; the defaults when it names none. */
  List<SourceConfig> sources(YamlNode.Mapping root) {
    YamlNode.Entry entry = root.entries().get("sources");
    if (entry == null) {
      return defaults(nodes.env);
    }
    if (!(entry.value() instanceof YamlNode.Sequence list)) {
      YamlNode value = entry.value();
      String hint = value instanceof YamlNode.Scalar s && s.text() == null
          ? "; write sources: [] for none, or leave the key out for Claude Code's log directory" : "";
      throw nodes.error(value.line() > 0 ? value : new YamlNode.Scalar(entry.keyLine(), null),
          "sources must be a list" + EXAMPLE + ", got " + value.kind() + hint);
    }
    List<SourceConfig> sources = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      sources.add(source(list.items().get(i), "sources[" + i + "]"));
    }
    return sources;
  }

  private SourceConfig source(YamlNode node, String key) {
    YamlNode.Mapping item = nodes.mapping(node, key, SOURCE_KEYS);
    nodes.checkKeys(item, key + ".", SOURCE_KEYS);
    Map<String, YamlNode.Entry> e = item.entries();
    String known = String.join(", ", types);
    if (!e.containsKey("type")) {
      throw nodes.error(item, key + ".type is missing" + (types.isEmpty() ? "" : " (one of " + known + ")"));
    }
    YamlNode.Scalar typeNode = nodes.scalar(e.get("type"), key + ".type");
    String written = nodes.expand(typeNode, key + ".type");
    String type = canonical(written).orElseThrow(() ->
        nodes.error(typeNode, key + ".type must be one of " + known + ", got " + ConfigNodes.quote(written)));
    if (!e.containsKey("path")) {
      throw nodes.error(item, key + ".path is missing: a file or directory of " + type
          + " logs, e.g. ~/.claude/projects");
    }
    YamlNode.Scalar pathNode = nodes.scalar(e.get("path"), key + ".path");
    Path path = nodes.path(pathNode, key + ".path", "a file or directory");
    return new SourceConfig(type, path, nodes.label + " line " + pathNode.line(), false);
  }

  /** {@code written} in the spelling of {@link #types}, ignoring case and '_' for '-'. */
  private Optional<String> canonical(String written) {
    String wanted = written.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    if (types.isEmpty()) {
      return wanted.isEmpty() ? Optional.empty() : Optional.of(wanted);
    }
    return types.stream().filter(t -> t.toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
  }

  /**
   * Claude Code's log directories: {@code projects} under each directory of {@code
   * $CLAUDE_CONFIG_DIR} (comma-separated, as Claude Code and ccusage read it); without it, {@code
   * $XDG_CONFIG_HOME/claude/projects} (else {@code ~/.config/claude/projects}, newer Claude Code
   * versions) and {@code ~/.claude/projects}. Each is used only where it exists.
   */
  static List<SourceConfig> defaults(ConfigEnvironment env) {
    List<SourceConfig> sources = new ArrayList<>();
    Optional<String> configured = env.variable(CLAUDE_CONFIG_DIR);
    if (configured.isPresent()) {
      for (String dir : configured.get().split(",")) {
        if (!dir.isBlank()) {
          addDefault(sources, env, env.resolve(dir.trim()).resolve("projects"), "default: $" + CLAUDE_CONFIG_DIR);
        }
      }
      return sources;
    }
    addDefault(sources, env, env.xdgConfigHome().resolve("claude").resolve("projects"), "default");
    addDefault(sources, env, env.home().resolve(".claude").resolve("projects"), "default");
    return sources;
  }

  private static void addDefault(List<SourceConfig> sources, ConfigEnvironment env, Path path, String origin) {
    Path absolute = env.workingDirectory().resolve(path).normalize();
    if (sources.stream().noneMatch(s -> s.path().equals(absolute))) {
      sources.add(new SourceConfig(SourceConfig.CLAUDE_CODE, absolute, origin, true));
    }
  }
}
