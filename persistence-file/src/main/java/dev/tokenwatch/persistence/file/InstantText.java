package dev.tokenwatch.persistence.file;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@link Instant#toString()} without {@code DateTimeFormatter}: the same text, built directly for
 * years 1970 to 9999 (every other instant goes through {@code toString}). Each journaled event
 * holds two instants, and the formatter was the largest single CPU cost of a {@code record}.
 */
final class InstantText {

  /** 10000-01-01T00:00:00Z: from here on {@code toString} prints a sign and more year digits. */
  private static final long END_SECONDS = 253_402_300_800L;

  private InstantText() {}

  /** Exactly {@code instant.toString()}. */
  static String of(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < 0 || seconds >= END_SECONDS) {
      return instant.toString();
    }
    int nanos = instant.getNano();
    byte[] text = new byte[20 + fractionDigits(nanos) + (nanos == 0 ? 0 : 1)];
    long days = seconds / 86_400;
    int secondOfDay = (int) (seconds % 86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm, eras of 400 years).
    long z = days + 719_468;
    long era = z / 146_097;
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long shiftedMonth = (5 * dayOfYear + 2) / 153; // March = 0
    int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
    int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
    int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
    digits(text, 0, year, 4);
    text[4] = '-';
    digits(text, 5, month, 2);
    text[7] = '-';
    digits(text, 8, day, 2);
    text[10] = 'T';
    digits(text, 11, secondOfDay / 3_600, 2);
    text[13] = ':';
    digits(text, 14, secondOfDay / 60 % 60, 2);
    text[16] = ':';
    digits(text, 17, secondOfDay % 60, 2);
    int at = 19;
    if (nanos != 0) {
      text[at++] = '.';
      int n = fractionDigits(nanos);
      digits(text, at, nanos / (n == 3 ? 1_000_000 : n == 6 ? 1_000 : 1), n);
      at += n;
    }
    text[at] = 'Z';
    return new String(text, StandardCharsets.US_ASCII);
  }

  /** Milliseconds, microseconds or nanoseconds: the shortest of the three that is exact. */
  private static int fractionDigits(int nanos) {
    if (nanos == 0) {
      return 0;
    }
    return nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
  }

  private static void digits(byte[] text, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      text[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }
}
