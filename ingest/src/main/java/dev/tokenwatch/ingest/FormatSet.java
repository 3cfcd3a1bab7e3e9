package dev.tokenwatch.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The formats a line parser tries, and the one place where {@code --format auto} decides which
 * format a line is in. With a named format only that one reads lines. With {@code auto} every
 * format reads the fields it names from the same single pass, and the first of them, in this
 * order, that claims the line interprets it:
 *
 * <ol>
 *   <li>tokenwatch — any of its count fields ({@code inputTokens}, {@code outputTokens}, {@code
 *       totalTokens});
 *   <li>Claude Code — a {@code message} object;
 *   <li>Codex — a {@code payload} object under a rollout line type ({@code session_meta}, {@code
 *       turn_context}, {@code event_msg}, {@code response_item}, {@code compacted});
 *   <li>OpenAI — a {@code usage} with OpenAI's fields or with an {@code object}, or an {@code
 *       object} of {@code chat.completion}/{@code response} without usage (then malformed);
 *   <li>Anthropic — any other {@code usage}, or a {@code type: message} response with a model.
 * </ol>
 *
 * A line no format claims carries no usage and is skipped.
 */
final class FormatSet {

  private final List<LineFormat> formats;
  private final boolean auto;
  /** Top-level field name to the formats that read it, in the order above. */
  private final Map<String, LineFormat[]> readers = new HashMap<>();

  FormatSet(LogFormat format) {
    this.auto = format == LogFormat.AUTO;
    this.formats = auto ? all() : List.of(single(format));
    Map<String, List<LineFormat>> byField = new HashMap<>();
    for (LineFormat f : formats) {
      for (String name : f.fields()) {
        byField.computeIfAbsent(name, n -> new ArrayList<>()).add(f);
      }
    }
    byField.forEach((name, list) -> readers.put(name, list.toArray(LineFormat[]::new)));
  }

  private static List<LineFormat> all() {
    ApiResponseFields response = new ApiResponseFields(); // read once, told apart by the two formats
    return List.of(new TokenwatchFormat(), new ClaudeCodeFormat(), new CodexFormat(), new OpenAiFormat(response),
        new AnthropicFormat(response));
  }

  private static LineFormat single(LogFormat format) {
    return switch (format) {
      case TOKENWATCH -> new TokenwatchFormat();
      case CLAUDE_CODE -> new ClaudeCodeFormat();
      case CODEX -> new CodexFormat();
      case OPENAI -> new OpenAiFormat(new ApiResponseFields());
      case ANTHROPIC -> new AnthropicFormat(new ApiResponseFields());
      case AUTO -> throw new IllegalArgumentException("auto is every format, not one");
    };
  }

  void reset() {
    for (LineFormat f : formats) {
      f.reset();
    }
  }

  /** The formats reading top-level field {@code name}, or null if none does (the field is skipped). */
  LineFormat[] readers(String name) {
    return readers.get(name);
  }

  /** The format of the line just read; null if it is no record of any format. */
  LineFormat detect() {
    if (!auto) {
      return formats.get(0);
    }
    for (LineFormat f : formats) {
      if (f.claims()) {
        return f;
      }
    }
    return null;
  }
}
