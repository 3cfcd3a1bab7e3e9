package dev.tokenwatch.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the configuration writes them: a whole number of seconds, minutes or hours ({@code
 * 90s}, {@code 10m}, {@code 24h}), for {@code reservationTimeout}, {@code notifiers.giveUpAfter} and
 * {@code notifiers.waitOnExit}.
 */
public final class Durations {

  private static final Pattern DURATION = Pattern.compile("([0-9]{1,7})\\s*([smh])");

  private Durations() {}

  /** A duration in the form the configuration reads: "10m", "90s", "2h", "0s". */
  public static String format(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds != 0 && seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds != 0 && seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }

  /** {@code text} read as a duration; empty if it is not of the form. */
  static Optional<Duration> parse(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    long amount = Long.parseLong(m.group(1));
    return Optional.of(switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    });
  }

  /**
   * {@code value}, if the setting {@code key} allows it: positive, or with {@code zeroAllowed} not
   * negative, and in whole seconds.
   *
   * @throws IllegalArgumentException naming the key, the form, the default and the value
   */
  static Duration require(String key, Duration value, boolean zeroAllowed, Duration defaultValue) {
    boolean inRange = zeroAllowed ? !value.isNegative() : !value.isNegative() && !value.isZero();
    if (!inRange || value.getNano() != 0) {
      throw new IllegalArgumentException(expectation(key, zeroAllowed, defaultValue) + ", got " + shown(value));
    }
    return value;
  }

  /** {@link #format}, or milli- or nanoseconds for a value that is not whole seconds (from an API or Spring). */
  private static String shown(Duration value) {
    int nanos = value.getNano();
    if (nanos == 0) {
      return format(value);
    }
    return nanos % 1_000_000 == 0 ? value.toMillis() + "ms" : value.toNanos() + "ns";
  }

  /** "KEY must be a positive whole number of seconds, minutes or hours such as ... (default ...)". */
  static String expectation(String key, boolean zeroAllowed, Duration defaultValue) {
    return key + " must be a " + (zeroAllowed ? "" : "positive ") + "whole number of seconds, minutes or hours such as "
        + (zeroAllowed ? "0s, 3s or 1m" : "90s, 10m or 1h") + " (default " + format(defaultValue) + ")";
  }
}
