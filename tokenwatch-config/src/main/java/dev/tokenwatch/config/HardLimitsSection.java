package dev.tokenwatch.config;

import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.TokenTracker;
import java.time.Duration;
import java.util.Locale;

/**
 * The configuration of hard limits: a budget's {@code mode: soft | hard} and the top-level {@code
 * reservationTimeout} (a {@link Durations duration} such as {@code 90s}, {@code 10m} or {@code 1h}),
 * which is one for the tracker, so one for every hard budget.
 */
final class HardLimitsSection {

  private final ConfigNodes nodes;

  HardLimitsSection(ConfigNodes nodes) {
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

  /** {@code reservationTimeout}, such as 10m; its range is {@link AppConfig}'s rule. */
  Duration timeout(YamlNode.Entry entry) {
    return nodes.duration(entry, AppConfig.RESERVATION_TIMEOUT_KEY, false, TokenTracker.DEFAULT_RESERVATION_TIMEOUT);
  }
}
