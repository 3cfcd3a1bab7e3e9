package dev.tokenwatch.config;

import dev.tokenwatch.ingest.LogFormat;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One usage source that {@code report}, {@code status}, {@code check} and {@code ingest} without a
 * path read first: a file or directory of logs in one format.
 *
 * @param format the format of its lines ({@code type:} in the configuration)
 * @param path the file or directory, absolute
 * @param origin where it was configured, for messages: "tokenwatch.yaml line 4" or "default
 *     ($CLAUDE_CONFIG_DIR)"
 * @param optional whether a missing path is skipped silently (the default Claude Code directory,
 *     which exists only where Claude Code ran) rather than reported
 */
record SourceConfig(LogFormat format, Path path, String origin, boolean optional) {

  SourceConfig {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(origin, "origin");
  }

  /** "claude-code ~/.claude/projects (default)" for messages and {@code config}. */
  String describe() {
    return format.label() + " " + path + " (" + origin + ")";
  }
}
