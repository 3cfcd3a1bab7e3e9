package dev.tokenwatch.config;

import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.TokenTracker;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration of hard limits: a budget's {@code mode: soft | hard} and the top-level {@code
 * reservationTimeout} (a whole number of seconds, minutes or hours: {@code 90s}, {@code 10m},
 * {@code 1h}), which is one for the tracker, so one for every hard budget.
 */
final class HardLimitsConfig {

  /** The top-level key of the timeout. */
  static final String TIMEOUT_KEY = "reservationTimeout";

  private static final Pattern DURATION = Pattern.compile("([0-9]{1,7})\\s*([smh])");

  private final ConfigNodes nodes;

  HardLimitsConfig(ConfigNodes nodes) {
    this.nodes = nodes;
  }

  /** {@code KEY.mode}: soft (the default) or hard, in any case. */
  BudgetMode mode(YamlNode.Entry entry, String key) {
    YamlNode.Scalar node = nodes.scalar(entry, key);
    String text = nodes.expand(node, key).trim();
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "soft" -> BudgetMode.SOFT;
      case "hard" -> BudgetMode.HARD;
      default -> throw nodes.error(node, key + " must be soft (alerts only, the default) or hard (reservations "
          + "that would pass the limit are refused), got " + ConfigNodes.quote(text));
    };
  }

  /** {@code reservationTimeout}: positive, such as 10m. */
  Duration timeout(YamlNode.Entry entry) {
    YamlNode.Scalar node = nodes.scalar(entry, TIMEOUT_KEY);
    String text = nodes.expand(node, TIMEOUT_KEY).trim();
    Matcher m = DURATION.matcher(text);
    long amount = m.matches() ? Long.parseLong(m.group(1)) : 0;
    if (amount == 0) {
      throw nodes.error(node, TIMEOUT_KEY + " must be a positive whole number of seconds, minutes or hours such as "
          + "90s, 10m or 1h (default " + format(TokenTracker.DEFAULT_RESERVATION_TIMEOUT) + "), got "
          + ConfigNodes.quote(text));
    }
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  /** A timeout in the form {@link #timeout} reads: "10m", "90s", "2h". */
  static String format(Duration timeout) {
    long seconds = timeout.toSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }
}
