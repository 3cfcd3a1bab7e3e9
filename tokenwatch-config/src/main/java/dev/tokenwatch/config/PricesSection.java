package dev.tokenwatch.config;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.cost.ModelPrice;
import dev.tokenwatch.domain.cost.Prices;
import dev.tokenwatch.domain.cost.Rate;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The configuration's {@code prices:} section: models priced in USD per million tokens. */
final class PricesSection {

  /** Keys of one model under {@code prices:}, in USD per million tokens. */
  static final List<String> PRICE_KEYS = List.of("input", "output", "cacheWrite", "cacheWrite1h", "cacheRead");

  private final ConfigNodes nodes;

  PricesSection(ConfigNodes nodes) {
    this.nodes = nodes;
  }

  /** {@code prices: {MODEL: {input: 0.2, output: 0.6, ...}}}, USD per million tokens. */
  List<ModelPrice> prices(YamlNode.Entry entry) {
    if (entry.value() instanceof YamlNode.Scalar s && s.text() == null) {
      return List.of();
    }
    if (!(entry.value() instanceof YamlNode.Mapping models)) {
      throw nodes.error(entry.value(), "prices must be a mapping of model names to prices such as "
          + "{my-llama: {input: 0.2, output: 0.6}} (USD per million tokens), got " + entry.value().kind());
    }
    List<ModelPrice> prices = new ArrayList<>();
    for (YamlNode.Entry model : models.entries().values()) {
      String key = "prices." + model.key();
      if (model.key().isBlank() || model.key().length() > TokenUsageEvent.MAX_MODEL_LENGTH) {
        throw nodes.at(model.keyLine(), "prices must name models of 1 to "
            + TokenUsageEvent.MAX_MODEL_LENGTH + " characters, got " + ConfigNodes.quote(model.key()));
      }
      YamlNode.Mapping fields = nodes.mapping(model.value(), key, PRICE_KEYS);
      nodes.checkKeys(fields, key + ".", PRICE_KEYS);
      Map<String, YamlNode.Entry> e = fields.entries();
      if (!e.containsKey("input") && !e.containsKey("output")) {
        throw nodes.at(model.keyLine(), key
            + " needs at least input or output (USD per million tokens)");
      }
      Prices modelPrices = new Prices(rate(e, "input", key), rate(e, "output", key), rate(e, "cacheWrite", key),
          rate(e, "cacheWrite1h", key), rate(e, "cacheRead", key));
      prices.add(ModelPrice.of(model.key(), modelPrices, nodes.label + " line " + model.keyLine()));
    }
    return prices;
  }

  private Rate rate(Map<String, YamlNode.Entry> fields, String name, String modelKey) {
    if (!fields.containsKey(name)) {
      return null;
    }
    String key = modelKey + "." + name;
    YamlNode.Scalar node = nodes.scalar(fields.get(name), key);
    String text = nodes.expand(node, key).trim();
    BigDecimal value;
    try {
      value = new BigDecimal(text.replace("_", ""));
    } catch (NumberFormatException ex) {
      value = null;
    }
    if (value == null || value.signum() < 0) {
      throw nodes.error(node, key + " must be a non-negative decimal number of USD per million tokens such as 0.2, got "
          + ConfigNodes.quote(text));
    }
    return Rate.of(value);
  }
}
