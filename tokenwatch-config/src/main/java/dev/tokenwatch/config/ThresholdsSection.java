package dev.tokenwatch.config;

import dev.tokenwatch.config.ConfigNodes.Origin;
import dev.tokenwatch.domain.Ratio;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A budget's {@code alertThresholds} and {@code forecastThresholds}: lists of ratios such as 0.8
 * or percentages such as "80%". Read by {@link Ratio}; their range is checked by the budget.
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
        throw nodes.error(item, itemKey + " must be " + Ratio.FORM + ", got " + item.kind());
      }
      thresholds.add(threshold(scalar, itemKey, nodes.expand(scalar, itemKey)));
      fields.put(field + "[" + i + "]", new Origin(itemKey, item));
    }
    return thresholds;
  }

  private double threshold(YamlNode.Scalar node, String key, String text) {
    try {
      return Ratio.read(text);
    } catch (IllegalArgumentException e) {
      throw nodes.error(node, key + " " + e.getMessage());
    }
  }

}
