package dev.tokenwatch.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One usage source that {@code report}, {@code status}, {@code check} and {@code ingest} without a
 * path read first: a file or directory of logs in one format.
 *
 * @param type the format of its lines ({@code type:} in the configuration), in the canonical
 *     spelling of the loader's source types ({@link ConfigLoader#sourceTypes})
 * @param path the file or directory, absolute
 * @param origin where it was configured, for messages: "tokenwatch.yaml line 4" or "default
 *     ($CLAUDE_CONFIG_DIR)"
 * @param optional whether a missing path is skipped silently (the default Claude Code directory,
 *     which exists only where Claude Code ran) rather than reported
 */
public record SourceConfig(String type, Path path, String origin, boolean optional) {

  /** The type of Claude Code's logs, the default sources. */
  public static final String CLAUDE_CODE = "claude-code";

  public SourceConfig {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(origin, "origin");
  }

  /** "claude-code ~/.claude/projects (default)" for messages and {@code config}. */
  public String describe() {
    return type + " " + path + " (" + origin + ")";
  }

  /**
   * The sources used without a {@code sources:} key: Claude Code's log directories ({@code
   * projects} under each directory of {@code $CLAUDE_CONFIG_DIR}, else under {@code
   * $XDG_CONFIG_HOME/claude} and {@code ~/.claude}), each optional.
   */
  public static List<SourceConfig> defaults(ConfigEnvironment env) {
    return SourcesSection.defaults(env);
  }
}
