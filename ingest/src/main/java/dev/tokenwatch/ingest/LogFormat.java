package dev.tokenwatch.ingest;

import java.util.Locale;

/** The log line formats the {@link Ingestor} reads. */
public enum LogFormat {
  /** Detect the format of each line from its fields. */
  AUTO("auto"),
  /** An OpenAI Chat Completions or Responses API response object. */
  OPENAI("openai"),
  /** An Anthropic Messages API response object. */
  ANTHROPIC("anthropic"),
  /** A Claude Code session log line ({@code ~/.claude/projects/<project>/<session>.jsonl}). */
  CLAUDE_CODE("claude-code"),
  /** tokenwatch's own event JSON, as written by {@link TokenUsageEventJson}. */
  TOKENWATCH("tokenwatch"),
  /** An OpenAI Codex CLI session log line ({@code ~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl}). */
  CODEX("codex");

  private final String label;

  LogFormat(String label) {
    this.label = label;
  }

  /** The name used on the command line ("claude-code"). */
  public String label() {
    return label;
  }

  /** Parses a command-line name such as "auto" or "claude-code", ignoring case. */
  public static LogFormat parse(String text) {
    String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (LogFormat format : values()) {
      if (format.label.equals(wanted) || format.name().toLowerCase(Locale.ROOT).equals(wanted)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "format must be one of auto, openai, anthropic, claude-code, codex, tokenwatch, got \"" + text + '"');
  }
}
