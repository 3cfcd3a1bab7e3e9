package dev.tokenwatch.config;

import dev.tokenwatch.domain.TokenBudget;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** A budget's {@code alertThresholds}: ratios such as 0.8 or percentages such as "80%". */
final class ThresholdsConfig {

  private final ConfigNodes nodes;

  ThresholdsConfig(ConfigNodes nodes) {
    this.nodes = nodes;
  }

  List<Double> thresholds(YamlNode.Entry entry, String key) {
    if (!(entry.value() instanceof YamlNode.Sequence list)) {
      throw nodes.error(entry.value(), key + " must be a list such as [0.5, 0.7, 0.8, 1.0], got "
          + nodes.describe(entry.value(), key));
    }
    if (list.items().isEmpty()) {
      throw nodes.error(list, key + " must list at least one threshold, got an empty list");
    }
    List<Double> thresholds = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      String itemKey = key + "[" + i + "]";
      YamlNode item = list.items().get(i);
      if (!(item instanceof YamlNode.Scalar scalar) || scalar.text() == null) {
        throw nodes.error(item, itemKey + " must be a ratio such as 0.8 or a percentage such as \"80%\", got "
            + item.kind());
      }
      thresholds.add(threshold(scalar, itemKey, nodes.expand(scalar, itemKey)));
    }
    return thresholds;
  }

  private double threshold(YamlNode.Scalar node, String key, String text) {
    String trimmed = text.trim();
    boolean percent = trimmed.endsWith("%");
    BigDecimal value;
    try {
      value = new BigDecimal(percent ? trimmed.substring(0, trimmed.length() - 1).trim() : trimmed);
    } catch (NumberFormatException ex) {
      throw nodes.error(node, key + " must be a ratio such as 0.8 or a percentage such as \"80%\", got "
          + ConfigNodes.quote(text));
    }
    if (percent) {
      value = value.movePointLeft(2);
    }
    if (value.signum() <= 0 || value.compareTo(BigDecimal.valueOf(TokenBudget.MAX_THRESHOLD)) > 0) {
      throw nodes.error(node, key + " must be above 0 and at most " + (int) TokenBudget.MAX_THRESHOLD
          + " (1000%), got " + ConfigNodes.quote(text));
    }
    return value.doubleValue();
  }
}
