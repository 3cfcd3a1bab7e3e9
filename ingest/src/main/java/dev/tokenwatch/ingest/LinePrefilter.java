package dev.tokenwatch.ingest;

/**
 * Tells from a line's bytes alone, before any JSON parsing, that the line cannot be a record of the
 * formats read, so that it is counted as a line without usage unparsed (user turns, tool results
 * and summaries are most of a Claude Code log's bytes).
 *
 * <p>A line may be a record only if it names, as a quoted field name, a field its format decides
 * on: {@code usage} (Claude Code, OpenAI, Anthropic), {@code payload} (Codex), {@code object}
 * (OpenAI without usage), {@code model} (Anthropic without usage), {@code ...Tokens} (tokenwatch).
 * A line without any of them gets no format's claim and is skipped by the full parse too. Lines
 * with a backslash-u escape (a name could be spelt with one) and lines not shaped as one object
 * ({@code {...}}, so a half-written line stays malformed) are always parsed. Only a line that is
 * not valid JSON can be judged differently: the full parse calls it malformed, this calls it a
 * line without usage. OpenAI, Anthropic and tokenwatch as named formats call every line without
 * their fields malformed, so they parse every line.
 */
final class LinePrefilter {

  /** Parses every line. */
  static final LinePrefilter NONE = new LinePrefilter(false, false, false);

  private final boolean enabled;
  private final boolean usageOnly;
  private final boolean payloadOnly;

  private LinePrefilter(boolean enabled, boolean usageOnly, boolean payloadOnly) {
    this.enabled = enabled;
    this.usageOnly = usageOnly;
    this.payloadOnly = payloadOnly;
  }

  static LinePrefilter of(LogFormat format) {
    return switch (format) {
      case AUTO -> new LinePrefilter(true, false, false);
      case CLAUDE_CODE -> new LinePrefilter(true, true, false);
      case CODEX -> new LinePrefilter(true, false, true);
      case OPENAI, ANTHROPIC, TOKENWATCH -> NONE;
    };
  }

  /** Whether the line must be parsed: false only if no format read could claim it. */
  boolean mayBeRecord(byte[] buf, int off, int len) {
    if (!enabled) {
      return true;
    }
    int start = off;
    int last = off + len - 1;
    while (start <= last && isBlank(buf[start])) {
      start++;
    }
    while (last >= start && isBlank(buf[last])) {
      last--;
    }
    if (start > last) {
      return false; // blank: the parser skips it as well
    }
    if (buf[start] != '{' || buf[last] != '}') {
      return true; // not an object: the parser says what is wrong with it
    }
    // from the end: a Claude Code record's usage follows its content, a few hundred bytes before
    // the end; escapes are not followed (a quote or backslash-u inside a string only adds a parse)
    for (int i = last - 1; i > start; i--) {
      byte b = buf[i];
      if (b == '"') {
        if (markerAt(buf, i + 1, last)) {
          return true;
        }
      } else if (b == 'u' && buf[i - 1] == '\\') {
        return true;
      }
    }
    return false;
  }

  /** Whether a marker name follows the quote before {@code from}, or precedes it (…Tokens"). */
  private boolean markerAt(byte[] buf, int from, int last) {
    if (usageOnly) {
      return named(buf, from, last, USAGE);
    }
    if (payloadOnly) {
      return named(buf, from, last, PAYLOAD);
    }
    int quote = from - 1;
    if (quote >= TOKENS.length && endsWith(buf, quote, TOKENS)) {
      return true;
    }
    return switch (buf[from]) {
      case 'u' -> named(buf, from, last, USAGE);
      case 'p' -> named(buf, from, last, PAYLOAD);
      case 'o' -> named(buf, from, last, OBJECT);
      case 'm' -> named(buf, from, last, MODEL);
      default -> false;
    };
  }

  private static final byte[] USAGE = bytes("usage\"");
  private static final byte[] PAYLOAD = bytes("payload\"");
  private static final byte[] OBJECT = bytes("object\"");
  private static final byte[] MODEL = bytes("model\"");
  private static final byte[] TOKENS = bytes("Tokens");

  /** Whether {@code name} (ending in its closing quote) starts at {@code from}, before {@code last}. */
  private static boolean named(byte[] buf, int from, int last, byte[] name) {
    if (from + name.length > last) {
      return false;
    }
    for (int i = 0; i < name.length; i++) {
      if (buf[from + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  /** Whether the bytes just before {@code quote} are {@code suffix}. */
  private static boolean endsWith(byte[] buf, int quote, byte[] suffix) {
    int from = quote - suffix.length;
    for (int i = 0; i < suffix.length; i++) {
      if (buf[from + i] != suffix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t' || b == '\r';
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
