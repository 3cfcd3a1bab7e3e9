package dev.tokenwatch.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.config.ConfigException;
import dev.tokenwatch.domain.cost.ModelPrice;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.cost.Prices;
import dev.tokenwatch.domain.cost.Rate;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Converts the provider and model data of {@code @pydantic/genai-prices} (its embedded data dumped
 * as JSON: an array of providers with their models) into a {@link PriceTable}. Keeps the providers
 * of {@link #PROVIDERS}, in that order (a model id that an earlier provider's model already answers to,
 * by id, alias or their {@linkplain PriceTable#normalisedName normalised} forms, is skipped: Vertex's
 * {@code claude-3-5-haiku} would otherwise shadow Anthropic's {@code claude-3-5-haiku-latest}),
 * only the token prices tokenwatch uses, every dated entry ({@code start_date} constraints), and
 * skips time-of-day prices ({@code time_of_date} constraints, e.g. DeepSeek's peak hours: the
 * unconstrained prices apply all day).
 * Models with neither an input nor an output price are skipped.
 */
final class GenaiPricesConverter {

  /** Providers kept, in the order their models are listed and win over duplicates. */
  static final List<String> PROVIDERS = List.of("anthropic", "openai", "google", "mistral", "deepseek", "x-ai", "aws");

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** A malformed source: the message names the file and the JSON path. */
  private static ConfigException malformed(String file, String path, String problem) {
    return new ConfigException(file + ": at " + path + ": " + problem);
  }

  /** The table and what was left out. */
  record Result(PriceTable table, int skippedDuplicates, int skippedWithoutTokenPrices, int skippedTimeOfDay) {
  }

  private GenaiPricesConverter() {
  }

  /**
   * Converts {@code json}.
   *
   * @param file the file's name for errors
   * @param source the table's source line, e.g. {@code @pydantic/genai-prices 0.1.8 (MIT)}
   * @param date the source's date
   * @throws ConfigException naming the file and the JSON path of what is malformed
   */
  static Result convert(String json, String file, String source, LocalDate date) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr() + " column "
          + e.getLocation().getColumnNr();
      throw new ConfigException(file + ": not JSON" + where + ": " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray()) {
      throw malformed(file, "$", "expected an array of providers");
    }
    List<ModelPrice> models = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<String> takenByEarlierProviders = new HashSet<>();
    int duplicates = 0;
    int withoutTokenPrices = 0;
    int timeOfDay = 0;
    for (String wanted : PROVIDERS) {
      int firstOfProvider = models.size();
      for (int p = 0; p < root.size(); p++) {
        JsonNode provider = root.get(p);
        String providerPath = "$[" + p + "]";
        if (!provider.isObject()) {
          throw malformed(file, providerPath, "expected a provider object");
        }
        if (!wanted.equals(text(provider, "id", providerPath, file))) {
          continue;
        }
        JsonNode list = provider.get("models");
        if (list == null || !list.isArray()) {
          throw malformed(file, providerPath + ".models", "expected an array of models");
        }
        for (int m = 0; m < list.size(); m++) {
          String path = providerPath + ".models[" + m + "]";
          JsonNode model = list.get(m);
          if (!model.isObject()) {
            throw malformed(file, path, "expected a model object");
          }
          String id = text(model, "id", path, file);
          Converted converted = periods(model.get("prices"), path + ".prices", file);
          timeOfDay += converted.timeOfDay;
          if (converted.periods.isEmpty()) {
            withoutTokenPrices++;
            continue;
          }
          if (takenByEarlierProviders.contains(id) || !ids.add(id)) {
            duplicates++;
            continue;
          }
          Set<String> aliases = new LinkedHashSet<>();
          JsonNode match = model.get("match");
          if (match != null) {
            collectEquals(match, path + ".match", file, aliases);
          }
          aliases.remove(id);
          models.add(new ModelPrice(id, wanted, new ArrayList<>(aliases), converted.periods, source));
        }
      }
      for (ModelPrice model : models.subList(firstOfProvider, models.size())) {
        takenByEarlierProviders.add(model.model());
        takenByEarlierProviders.add(PriceTable.normalisedName(model.model()));
        for (String alias : model.aliases()) {
          takenByEarlierProviders.add(alias);
          takenByEarlierProviders.add(PriceTable.normalisedName(alias));
        }
      }
    }
    return new Result(PriceTable.of(source, date, models), duplicates, withoutTokenPrices, timeOfDay);
  }

  private record Converted(List<ModelPrice.Period> periods, int timeOfDay) {
  }

  private static Converted periods(JsonNode prices, String path, String file) {
    if (prices == null) {
      throw malformed(file, path, "missing");
    }
    if (prices.isObject()) {
      Prices one = prices(prices, path, file);
      return new Converted(one == null ? List.of() : List.of(new ModelPrice.Period(null, one)), 0);
    }
    if (!prices.isArray()) {
      throw malformed(file, path, "expected an object or an array of {prices, constraint}");
    }
    List<ModelPrice.Period> periods = new ArrayList<>();
    int timeOfDay = 0;
    boolean hasBase = false;
    for (int i = 0; i < prices.size(); i++) {
      String entryPath = path + "[" + i + "]";
      JsonNode entry = prices.get(i);
      if (!entry.isObject() || entry.get("prices") == null || !entry.get("prices").isObject()) {
        throw malformed(file, entryPath, "expected {prices: {...}, constraint: ...}");
      }
      JsonNode constraint = entry.get("constraint");
      LocalDate from = null;
      if (constraint != null && !constraint.isNull()) {
        String type = text(constraint, "type", entryPath + ".constraint", file);
        if (type.equals("time_of_date")) {
          timeOfDay++;
          continue;
        }
        if (!type.equals("start_date")) {
          throw malformed(file, entryPath + ".constraint.type",
              "expected start_date or time_of_date, got \"" + type + "\"");
        }
        String day = text(constraint, "start_date", entryPath + ".constraint", file);
        try {
          from = LocalDate.parse(day);
        } catch (DateTimeParseException e) {
          throw malformed(file, entryPath + ".constraint.start_date", "not a day: \"" + day + "\"");
        }
      } else if (hasBase) {
        continue; // a second unconstrained entry never applies
      } else {
        hasBase = true;
      }
      Prices one = prices(entry.get("prices"), entryPath + ".prices", file);
      if (one != null) {
        final LocalDate day = from;
        periods.removeIf(period -> period.from() == null ? day == null : period.from().equals(day));
        periods.add(new ModelPrice.Period(from, one));
      }
    }
    if (!periods.isEmpty() && periods.stream().noneMatch(period -> period.from() == null)) {
      // Only dated entries: the earliest applies from the beginning.
      periods.sort((a, b) -> a.from().compareTo(b.from()));
      periods.set(0, new ModelPrice.Period(null, periods.get(0).prices()));
    }
    return new Converted(periods, timeOfDay);
  }

  private static Prices prices(JsonNode prices, String path, String file) {
    Rate input = rate(prices, "input_mtok", path, file);
    Rate output = rate(prices, "output_mtok", path, file);
    if (input == null && output == null) {
      return null;
    }
    return new Prices(input, output, rate(prices, "cache_write_mtok", path, file),
        rate(prices, "cache_write_1h_mtok", path, file), rate(prices, "cache_read_mtok", path, file));
  }

  private static Rate rate(JsonNode prices, String field, String path, String file) {
    JsonNode value = prices.get(field);
    String fieldPath = path + "." + field;
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return new Rate(nonNegative(value, fieldPath, file), List.of());
    }
    if (!value.isObject() || value.get("base") == null || !value.get("base").isNumber()
        || value.get("tiers") == null || !value.get("tiers").isArray()) {
      throw malformed(file, fieldPath, "expected a number or {base: number, tiers: [{start, price}]}");
    }
    List<Rate.Tier> tiers = new ArrayList<>();
    JsonNode list = value.get("tiers");
    for (int i = 0; i < list.size(); i++) {
      String tierPath = fieldPath + ".tiers[" + i + "]";
      JsonNode tier = list.get(i);
      JsonNode start = tier.get("start");
      JsonNode price = tier.get("price");
      if (start == null || !start.canConvertToExactIntegral() || start.asLong() <= 0 || price == null
          || !price.isNumber()) {
        throw malformed(file, tierPath, "expected {start: positive whole number, price: number}");
      }
      tiers.add(new Rate.Tier(start.asLong(), nonNegative(price, tierPath + ".price", file)));
    }
    try {
      return new Rate(nonNegative(value.get("base"), fieldPath + ".base", file), tiers);
    } catch (IllegalArgumentException e) {
      throw malformed(file, fieldPath, e.getMessage());
    }
  }

  private static BigDecimal nonNegative(JsonNode number, String path, String file) {
    BigDecimal value = number.decimalValue();
    if (value.signum() < 0) {
      throw malformed(file, path, "must not be negative, got " + value.toPlainString());
    }
    return value;
  }

  private static void collectEquals(JsonNode match, String path, String file, Set<String> into) {
    if (!match.isObject()) {
      throw malformed(file, path, "expected a match object");
    }
    JsonNode equals = match.get("equals");
    if (equals != null && equals.isTextual()) {
      into.add(equals.asText());
    }
    JsonNode or = match.get("or");
    if (or != null && or.isArray()) {
      for (int i = 0; i < or.size(); i++) {
        collectEquals(or.get(i), path + ".or[" + i + "]", file, into);
      }
    }
    // "and" clauses need every part to hold: an equals inside one is no alias on its own.
  }

  private static String text(JsonNode node, String field, String path, String file) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw malformed(file, path + "." + field, "expected a non-empty string");
    }
    return value.asText();
  }
}
