package dev.tokenwatch.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * Builds one audit record as a single-line JSON object, by hand, as UTF-8 bytes in a buffer the
 * thread reuses: the audit log writes one per tracked event, so building it must cost a small part of
 * a microsecond (a map message rendered by a JSON layout cost several, a {@code StringBuilder} with an
 * append per key and value about 0.4 µs). Field names are encoded once, as {@link Key}s.
 *
 * <p>One line at a time per thread: {@link #start} reuses the thread's builder, so a line must be
 * finished with {@link #finish} before the thread starts another.
 */
final class AuditLine {

  /** A field name, encoded once as {@code ,"name":}. */
  static final class Key {
    private final byte[] json;

    private Key(byte[] json) {
      this.json = json;
    }
  }

  /** The key for {@code name}: letters, digits and underscores only, so it needs no escaping. */
  static Key key(String name) {
    if (!name.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException("an audit field name is letters, digits and underscores, got \"" + name + "\"");
    }
    return new Key((",\"" + name + "\":").getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A value encoded once as JSON, for values that most records repeat (level, event, budget name,
   * outcome, model, limit): writing it is one copy.
   */
  static final class Value {
    private final byte[] json;
    private final boolean ascii;
    private final String text;
    private final long number;

    private Value(byte[] json, boolean ascii, String text, long number) {
      this.json = json;
      this.ascii = ascii;
      this.text = text;
      this.number = number;
    }

    /** {@code text} as a JSON string. */
    static Value of(String text) {
      AuditLine scratch = new AuditLine();
      scratch.ascii = true;
      scratch.quoted(text);
      return new Value(Arrays.copyOf(scratch.bytes, scratch.length), scratch.ascii, text, 0);
    }

    /** {@code number} as a JSON number. */
    static Value of(long number) {
      AuditLine scratch = new AuditLine();
      scratch.ensure(20);
      scratch.digits(number);
      return new Value(Arrays.copyOf(scratch.bytes, scratch.length), true, null, number);
    }

    /** True if this is the string {@code text}. */
    boolean is(String text) {
      return text.equals(this.text);
    }

    /** True if this is the number {@code number}. */
    boolean is(long number) {
      return this.text == null && this.number == number;
    }
  }

  private static final byte[] TIME = "{\"time\":".getBytes(StandardCharsets.US_ASCII);
  private static final Key LEVEL = key("level");
  private static final Key EVENT = key("event");
  private static final Key BUDGET = key("budget");
  private static final byte[] DIGITS = "0123456789".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TENS = new byte[100];
  private static final byte[] ONES = new byte[100];

  static {
    for (int i = 0; i < 100; i++) {
      TENS[i] = DIGITS[i / 10];
      ONES[i] = DIGITS[i % 10];
    }
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
  private static final ThreadLocal<AuditLine> LINES = ThreadLocal.withInitial(AuditLine::new);

  /** The UTC date prefix ("2026-11-28T") of the day last written: most records share it. */
  private static volatile DatePrefix lastDay = new DatePrefix(Long.MIN_VALUE, new byte[0]);

  private record DatePrefix(long epochDay, byte[] text) {}

  /** A tracked event's record is about 330 bytes: room for it without growing. */
  private byte[] bytes = new byte[512];
  private int length;
  private boolean ascii;

  private AuditLine() {}

  /** Starts a record on this thread's builder with the fields every record has. */
  static AuditLine start(Instant time, Value level, Value event, Value budget) {
    AuditLine line = LINES.get();
    line.length = 0;
    line.ascii = true;
    line.ensure(TIME.length);
    line.raw(TIME);
    line.instantValue(time);
    return line.value(LEVEL, level).value(EVENT, event).value(BUDGET, budget);
  }

  AuditLine value(Key key, Value value) {
    ensure(key.json.length + value.json.length);
    raw(key.json);
    raw(value.json);
    ascii &= value.ascii;
    return this;
  }

  AuditLine string(Key key, String value) {
    ensure(key.json.length);
    raw(key.json);
    quoted(value);
    return this;
  }

  AuditLine number(Key key, long value) {
    ensure(key.json.length + 20);
    raw(key.json);
    digits(value);
    return this;
  }

  /** An instant in UTC as {@code 2026-11-28T10:15:30.123Z} (milliseconds, like the log's own time). */
  AuditLine instant(Key key, Instant value) {
    ensure(key.json.length);
    raw(key.json);
    instantValue(value);
    return this;
  }

  /** A ratio as a percentage with one decimal, half-up: 0.72449 as 72.4. */
  AuditLine percent(Key key, double ratio) {
    ensure(key.json.length + 24);
    raw(key.json);
    long tenths = Math.round(ratio * 1000.0);
    if (tenths < 0) {
      bytes[length++] = '-';
      tenths = -tenths;
    }
    digits(tenths / 10);
    bytes[length++] = '.';
    bytes[length++] = DIGITS[(int) (tenths % 10)];
    return this;
  }

  AuditLine decimal(Key key, double value) {
    byte[] text = Double.toString(value).getBytes(StandardCharsets.US_ASCII);
    ensure(key.json.length + text.length);
    raw(key.json);
    raw(text);
    return this;
  }

  /** The finished record; the builder is free for the thread's next line. */
  String finish() {
    ensure(1);
    bytes[length++] = '}';
    return new String(bytes, 0, length, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------------------------------------

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }

  private void quoted(String value) {
    ensure(2 + 6 * value.length());
    bytes[length++] = '"';
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        bytes[length++] = (byte) c; // the common case: plain ASCII
      } else {
        i = special(value, i, c);
      }
    }
    bytes[length++] = '"';
  }

  private void raw(byte[] text) {
    System.arraycopy(text, 0, bytes, length, text.length);
    length += text.length;
  }

  private void instantValue(Instant value) {
    ensure(32);
    long seconds = value.getEpochSecond();
    long day = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    DatePrefix prefix = lastDay;
    if (prefix.epochDay() != day) {
      prefix = new DatePrefix(day, (LocalDate.ofEpochDay(day) + "T").getBytes(StandardCharsets.US_ASCII));
      lastDay = prefix;
    }
    bytes[length++] = '"';
    ensure(prefix.text().length + 16);
    raw(prefix.text());
    twoDigits(secondOfDay / 3600);
    bytes[length++] = ':';
    twoDigits(secondOfDay / 60 % 60);
    bytes[length++] = ':';
    twoDigits(secondOfDay % 60);
    bytes[length++] = '.';
    int millis = value.getNano() / 1_000_000;
    bytes[length++] = DIGITS[millis / 100];
    twoDigits(millis % 100);
    bytes[length++] = 'Z';
    bytes[length++] = '"';
  }

  private void twoDigits(int value) {
    bytes[length++] = TENS[value];
    bytes[length++] = ONES[value];
  }

  private void digits(long value) {
    if (value == Long.MIN_VALUE) {
      raw(LONG_MIN);
      return;
    }
    if (value < 0) {
      bytes[length++] = '-';
      value = -value;
    }
    if (value > Integer.MAX_VALUE) {
      // Two long divisions at most (a long division costs several int ones), the rest in ints.
      long high = value / 1_000_000_000L;
      digits(high);
      nineDigits((int) (value - high * 1_000_000_000L));
    } else {
      intDigits((int) value);
    }
  }

  private void intDigits(int value) {
    int end = length + size(value);
    int at = end;
    while (value >= 100) {
      int rest = value / 100;
      at = pair(value - rest * 100, at);
      value = rest;
    }
    if (value >= 10) {
      pair(value, at);
    } else {
      bytes[at - 1] = DIGITS[value];
    }
    length = end;
  }

  /** {@code value} (below 10^9) as exactly nine digits, zeros first. */
  private void nineDigits(int value) {
    int at = length + 9;
    for (int i = 0; i < 4; i++) {
      int rest = value / 100;
      at = pair(value - rest * 100, at);
      value = rest;
    }
    bytes[at - 1] = DIGITS[value];
    length += 9;
  }

  /** Writes the two digits of {@code value} (0–99) to end before {@code at}; returns where they start. */
  private int pair(int value, int at) {
    bytes[at - 2] = TENS[value];
    bytes[at - 1] = ONES[value];
    return at - 2;
  }

  private static int size(int value) {
    int bound = 10;
    for (int digits = 1; digits < 10; digits++) {
      if (value < bound) {
        return digits;
      }
      bound *= 10;
    }
    return 10;
  }

  /**
   * Writes the character at {@code i} that is not plain ASCII: escaped if JSON or a JavaScript line
   * reader cannot take it literally, else as UTF-8. Returns the index of the last character used.
   */
  private int special(String value, int i, char c) {
    switch (c) {
      case '"' -> escape('"');
      case '\\' -> escape('\\');
      case '\n' -> escape('n');
      case '\r' -> escape('r');
      case '\t' -> escape('t');
      default -> {
        if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
          unicodeEscape(c);
        } else if (c < 0x800) {
          ascii = false;
          bytes[length++] = (byte) (0xc0 | c >> 6);
          bytes[length++] = (byte) (0x80 | c & 0x3f);
        } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          ascii = false;
          int cp = Character.toCodePoint(c, value.charAt(i + 1));
          bytes[length++] = (byte) (0xf0 | cp >> 18);
          bytes[length++] = (byte) (0x80 | cp >> 12 & 0x3f);
          bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3f);
          bytes[length++] = (byte) (0x80 | cp & 0x3f);
          return i + 1;
        } else if (Character.isSurrogate(c)) {
          unicodeEscape(c); // a lone surrogate has no UTF-8 form: keep it as JSON's escape
        } else {
          ascii = false;
          bytes[length++] = (byte) (0xe0 | c >> 12);
          bytes[length++] = (byte) (0x80 | c >> 6 & 0x3f);
          bytes[length++] = (byte) (0x80 | c & 0x3f);
        }
      }
    }
    return i;
  }

  private void escape(char c) {
    bytes[length++] = '\\';
    bytes[length++] = (byte) c;
  }

  private void unicodeEscape(char c) {
    bytes[length++] = '\\';
    bytes[length++] = 'u';
    bytes[length++] = HEX[c >> 12];
    bytes[length++] = HEX[c >> 8 & 0xf];
    bytes[length++] = HEX[c >> 4 & 0xf];
    bytes[length++] = HEX[c & 0xf];
  }
}
