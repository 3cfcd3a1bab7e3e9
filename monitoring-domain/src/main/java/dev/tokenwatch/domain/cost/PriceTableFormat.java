package dev.tokenwatch.domain.cost;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text form of a price table: UTF-8, one line per model and period, fields separated by tabs.
 *
 * <pre>
 * # source: @pydantic/genai-prices 0.1.8 (MIT)
 * # date: 2026-09-23
 * # provider  model  from  input  output  cache_write  cache_write_1h  cache_read  aliases
 * anthropic  claude-sonnet-4-5  -  3;&gt;200000=6  15;&gt;200000=22.5  ...  -
 * </pre>
 *
 * <p>Prices are decimal USD per million tokens; {@code -} means "not given". A tiered price is its
 * base price followed by {@code ;>THRESHOLD=PRICE} per tier. {@code from} is {@code -} for the
 * first period of a model and a day ({@code 2026-03-13}) for later ones, on lines that follow it.
 * Aliases are separated by commas. Comment lines start with {@code #}; {@code # source:} and {@code
 * # date:} name the table's source and its date. Blank lines are ignored.
 */
final class PriceTableFormat {

  static final String[] COLUMNS = {
      "provider", "model", "from", "input", "output", "cache_write", "cache_write_1h", "cache_read", "aliases"};

  private static final String NONE = "-";

  private PriceTableFormat() {
  }

  /** The parts of a table read from text. */
  record Parsed(String source, LocalDate date, List<ModelPrice> models) {
  }

  static Parsed parse(String text, String file) {
    String source = null;
    LocalDate date = null;
    Map<String, List<ModelPrice.Period>> periods = new LinkedHashMap<>();
    Map<String, String> providers = new LinkedHashMap<>();
    Map<String, Set<String>> aliases = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new LinkedHashMap<>();
    List<String> lines = lines(text);
    String previousModel = null;
    for (int i = 0; i < lines.size(); i++) {
      int lineNumber = i + 1;
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        String comment = line.substring(1).strip();
        if (comment.startsWith("source:")) {
          source = comment.substring("source:".length()).strip();
        } else if (comment.startsWith("date:")) {
          String value = comment.substring("date:".length()).strip();
          try {
            date = LocalDate.parse(value);
          } catch (DateTimeParseException e) {
            throw new PriceTableException(file, lineNumber, "date", "not a day (YYYY-MM-DD): \"" + value + "\"");
          }
        }
        continue;
      }
      String[] fields = line.split("\t", -1);
      if (fields.length != COLUMNS.length) {
        throw new PriceTableException(file, lineNumber, null,
            "expected " + COLUMNS.length + " tab-separated fields (" + String.join(", ", COLUMNS) + "), got "
                + fields.length);
      }
      String provider = fields[0].strip();
      String model = fields[1].strip();
      if (model.isEmpty() || model.equals(NONE)) {
        throw new PriceTableException(file, lineNumber, "model", "must not be empty");
      }
      LocalDate from = parseFrom(fields[2].strip(), file, lineNumber);
      if (from == null) {
        if (periods.containsKey(model)) {
          throw new PriceTableException(file, lineNumber, "model",
              "\"" + model + "\" already listed on line " + firstLine.get(model));
        }
        periods.put(model, new ArrayList<>());
        providers.put(model, provider.equals(NONE) || provider.isEmpty() ? null : provider);
        aliases.put(model, new LinkedHashSet<>());
        firstLine.put(model, lineNumber);
      } else if (!model.equals(previousModel)) {
        throw new PriceTableException(file, lineNumber, "from",
            "a dated line must follow the lines of its model \"" + model + "\" (the first with from -)");
      }
      Rate input = parseRate(fields[3], "input", file, lineNumber);
      Rate output = parseRate(fields[4], "output", file, lineNumber);
      Rate cacheWrite = parseRate(fields[5], "cache_write", file, lineNumber);
      Rate cacheWrite1h = parseRate(fields[6], "cache_write_1h", file, lineNumber);
      Rate cacheRead = parseRate(fields[7], "cache_read", file, lineNumber);
      if (input == null && output == null) {
        throw new PriceTableException(file, lineNumber, "input", "a model needs an input or an output price");
      }
      List<ModelPrice.Period> modelPeriods = periods.get(model);
      for (ModelPrice.Period existing : modelPeriods) {
        if (from != null && from.equals(existing.from())) {
          throw new PriceTableException(file, lineNumber, "from", "\"" + model + "\" already has prices from " + from);
        }
      }
      modelPeriods.add(new ModelPrice.Period(from, new Prices(input, output, cacheWrite, cacheWrite1h, cacheRead)));
      String aliasField = fields[8].strip();
      if (!aliasField.isEmpty() && !aliasField.equals(NONE)) {
        for (String alias : aliasField.split(",")) {
          if (alias.isBlank()) {
            throw new PriceTableException(file, lineNumber, "aliases", "empty alias in \"" + aliasField + "\"");
          }
          aliases.get(model).add(alias.strip());
        }
      }
      previousModel = model;
    }
    String description = describe(source, date, file);
    List<ModelPrice> models = new ArrayList<>(periods.size());
    for (Map.Entry<String, List<ModelPrice.Period>> entry : periods.entrySet()) {
      String model = entry.getKey();
      models.add(new ModelPrice(model, providers.get(model), new ArrayList<>(aliases.get(model)), entry.getValue(),
          description));
    }
    return new Parsed(source == null ? file : source, date, models);
  }

  /** The lines of {@code text} as {@code split("\r?\n", -1)} gives them, without compiling a pattern. */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    int at = 0;
    while (true) {
      int end = text.indexOf('\n', at);
      if (end < 0) {
        lines.add(text.substring(at));
        return lines;
      }
      lines.add(text.substring(at, end > at && text.charAt(end - 1) == '\r' ? end - 1 : end));
      at = end + 1;
    }
  }

  static String describe(String source, LocalDate date, String fallback) {
    return (source == null ? fallback : source) + (date == null ? "" : " of " + date);
  }

  private static LocalDate parseFrom(String value, String file, int line) {
    if (value.isEmpty() || value.equals(NONE)) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new PriceTableException(file, line, "from", "not a day (YYYY-MM-DD) or -: \"" + value + "\"");
    }
  }

  private static Rate parseRate(String field, String column, String file, int line) {
    String value = field.strip();
    if (value.isEmpty() || value.equals(NONE)) {
      return null;
    }
    String[] parts = value.split(";", -1);
    BigDecimal base = decimal(parts[0], value, column, file, line);
    List<Rate.Tier> tiers = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      String tier = parts[i].strip();
      int equals = tier.indexOf('=');
      if (!tier.startsWith(">") || equals < 0) {
        throw new PriceTableException(file, line, column, "a tier must look like >200000=6, got \"" + value + "\"");
      }
      long above;
      try {
        above = Long.parseLong(tier.substring(1, equals).strip());
      } catch (NumberFormatException e) {
        throw new PriceTableException(file, line, column, "not a token count in the tier of \"" + value + "\"");
      }
      if (above <= 0) {
        throw new PriceTableException(file, line, column, "tier threshold must be positive in \"" + value + "\"");
      }
      tiers.add(new Rate.Tier(above, decimal(tier.substring(equals + 1), value, column, file, line)));
    }
    try {
      return new Rate(base, tiers);
    } catch (IllegalArgumentException e) {
      throw new PriceTableException(file, line, column, e.getMessage() + " in \"" + value + "\"");
    }
  }

  private static BigDecimal decimal(String text, String value, String column, String file, int line) {
    BigDecimal decimal;
    try {
      decimal = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new PriceTableException(file, line, column, "not a decimal number: \"" + value + "\"");
    }
    if (decimal.signum() < 0) {
      throw new PriceTableException(file, line, column, "must not be negative: \"" + value + "\"");
    }
    return decimal;
  }

  static String format(String source, LocalDate date, List<ModelPrice> models) {
    StringBuilder out = new StringBuilder(64 * (models.size() + 4));
    out.append("# tokenwatch price table: USD per million tokens; see README \"Prices and cost\"\n");
    if (source != null) {
      out.append("# source: ").append(source).append('\n');
    }
    if (date != null) {
      out.append("# date: ").append(date).append('\n');
    }
    out.append("# ").append(String.join("\t", COLUMNS)).append('\n');
    for (ModelPrice model : models) {
      for (int i = 0; i < model.periods().size(); i++) {
        ModelPrice.Period period = model.periods().get(i);
        Prices prices = period.prices();
        out.append(model.provider() == null ? NONE : model.provider()).append('\t')
            .append(model.model()).append('\t')
            .append(period.from() == null ? NONE : period.from().toString()).append('\t')
            .append(rate(prices.input())).append('\t')
            .append(rate(prices.output())).append('\t')
            .append(rate(prices.cacheWrite())).append('\t')
            .append(rate(prices.cacheWrite1h())).append('\t')
            .append(rate(prices.cacheRead())).append('\t')
            .append(i == 0 && !model.aliases().isEmpty() ? String.join(",", model.aliases()) : NONE).append('\n');
      }
    }
    return out.toString();
  }

  /** A rate as the table writes it: {@code 3} or {@code 3;>200000=6}; {@code -} for none. */
  static String rate(Rate rate) {
    if (rate == null) {
      return NONE;
    }
    StringBuilder out = new StringBuilder(plain(rate.base()));
    for (Rate.Tier tier : rate.tiers()) {
      out.append(";>").append(tier.above()).append('=').append(plain(tier.usdPerMtok()));
    }
    return out.toString();
  }

  private static String plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
  }
}
