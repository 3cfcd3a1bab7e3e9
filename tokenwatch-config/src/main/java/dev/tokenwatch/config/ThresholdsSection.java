package dev.tokenwatch.config;

import dev.tokenwatch.config.ConfigNodes.Origin;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A budget's {@code alertThresholds} and {@code forecastThresholds}: lists of ratios such as 0.8
 * or percentages such as "80%". Their range is {@link dev.tokenwatch.domain.TokenBudget}'s rule.
 */
final class ThresholdsSection {

  private final ConfigNodes nodes;

  ThresholdsSection(ConfigNodes nodes) {
    this.nodes = nodes;
  }

  /**
   * The thresholds of {@code budgetKey.field}; each item's origin is recorded in {@code fields} under
   * the name the budget's rule gives it ({@code alertThresholds[1]}).
   */
  List<Double> read(YamlNode.Entry entry, String budgetKey, String field, Map<String, Origin> fields) {
    String key = budgetKey + "." + field;
    if (!(entry.value() instanceof YamlNode.Sequence list)) {
      throw nodes.error(entry.value(), key + " must be a list such as [0.5, 0.7, 0.8, 1.0], got "
          + nodes.describe(entry.value(), key));
    }
    if (list.items().isEmpty()) {
      throw nodes.error(list, key + " must list at least one threshold, got an empty list");
    }
    fields.put(field, new Origin(key, list));
    List<Double> thresholds = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      String itemKey = key + "[" + i + "]";
      YamlNode item = list.items().get(i);
      if (!(item instanceof YamlNode.Scalar scalar) || scalar.text() == null) {
        throw nodes.error(item, itemKey + " must be a ratio such as 0.8 or a percentage such as \"80%\", got "
            + item.kind());
      }
      thresholds.add(threshold(scalar, itemKey, nodes.expand(scalar, itemKey)));
      fields.put(field + "[" + i + "]", new Origin(itemKey, item));
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
    return (percent ? value.movePointLeft(2) : value).doubleValue();
  }
}
