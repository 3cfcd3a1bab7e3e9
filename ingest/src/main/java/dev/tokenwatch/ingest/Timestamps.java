package dev.tokenwatch.ingest;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A fast path for the one timestamp shape that logs use almost always, {@code
 * 2025-06-14T09:30:00.123Z}: {@link Instant#parse} costs about a microsecond per call, which is
 * noticeable at millions of lines. Anything else returns null and goes to {@link Instant#parse}.
 */
final class Timestamps {

  /** Records stamped before this are malformed: no log of LLM calls is that old. */
  static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  private Timestamps() {}

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} as an instant, or null if {@code s} has another shape. */
  static Instant parseUtc(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      if (s.charAt(19) != '.' || n - 21 < 1 || n - 21 > 9) {
        return null;
      }
      int fraction = digits(s, 20, n - 21);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = n - 21; i < 9; i++) {
        nanos *= 10;
      }
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  /** The decimal number of {@code len} digits at {@code off}, or -1 if any is not a digit. */
  private static int digits(String s, int off, int len) {
    int value = 0;
    for (int i = off; i < off + len; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
