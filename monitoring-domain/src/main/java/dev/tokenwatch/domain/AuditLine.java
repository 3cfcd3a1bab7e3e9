package dev.tokenwatch.domain;

import java.time.Instant;

/**
 * Builds one audit record as a single-line JSON object, by hand: the audit log writes one per
 * tracked event, so building it must cost well under a microsecond (a map message rendered by a
 * JSON layout cost several).
 */
final class AuditLine {

  /** A tracked event's record is about 330 characters: room for it without growing. */
  private final StringBuilder json = new StringBuilder(512);

  /** The UTC date prefix ("2026-11-28T") of the day last written: most records share it. */
  private static volatile DatePrefix lastDay = new DatePrefix(Long.MIN_VALUE, "");

  private record DatePrefix(long epochDay, String text) {}

  AuditLine(Instant time, String level, String event, String budget) {
    json.append('{');
    instant("time", time);
    string("level", level);
    string("event", event);
    string("budget", budget);
  }

  AuditLine string(String key, String value) {
    key(key);
    json.append('"');
    escape(value);
    json.append('"');
    return this;
  }

  AuditLine number(String key, long value) {
    key(key);
    json.append(value);
    return this;
  }

  /** An instant in UTC as {@code 2026-11-28T10:15:30.123Z} (milliseconds, like the log's own time). */
  AuditLine instant(String key, Instant value) {
    key(key);
    long seconds = value.getEpochSecond();
    long day = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    DatePrefix prefix = lastDay;
    if (prefix.epochDay() != day) {
      prefix = new DatePrefix(day, java.time.LocalDate.ofEpochDay(day) + "T");
      lastDay = prefix;
    }
    json.append('"').append(prefix.text());
    twoDigits(secondOfDay / 3600).append(':');
    twoDigits(secondOfDay / 60 % 60).append(':');
    twoDigits(secondOfDay % 60).append('.');
    int millis = value.getNano() / 1_000_000;
    json.append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10));
    json.append("Z\"");
    return this;
  }

  private StringBuilder twoDigits(int value) {
    return json.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }

  /** A ratio as a percentage with one decimal, half-up: 0.72449 as 72.4. */
  AuditLine percent(String key, double ratio) {
    key(key);
    long tenths = Math.round(ratio * 1000.0);
    if (tenths < 0) {
      json.append('-');
      tenths = -tenths;
    }
    json.append(tenths / 10).append('.').append(tenths % 10);
    return this;
  }

  AuditLine decimal(String key, double value) {
    key(key);
    json.append(value);
    return this;
  }

  /** The finished record; call once. */
  @Override
  public String toString() {
    return json.append('}').toString();
  }

  private void key(String key) {
    if (json.length() > 1) {
      json.append(',');
    }
    json.append('"').append(key).append("\":");
  }

  private void escape(String value) {
    int plain = 0;
    while (plain < value.length() && isPlain(value.charAt(plain))) {
      plain++;
    }
    if (plain == value.length()) {
      json.append(value); // the common case: one bulk copy instead of a call per character
      return;
    }
    json.append(value, 0, plain);
    for (int i = plain; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
  }

  private static boolean isPlain(char c) {
    return c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029;
  }
}
