package dev.tokenwatch.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The built-in price table read and applied here, apart from the production code ({@code
 * PriceTable}, {@code Pricing}), after the rules the README documents: a line per model and period
 * ({@code from} a UTC day on), {@code -} for "not given", {@code 3;>200000=6} a price that is 6 for a
 * call whose prompt (input + cache writes + cache reads) is above 200,000 tokens (for every token
 * of the call); cache writes (5-minute) and cache reads fall back to the input price, a missing
 * input or output price charges nothing; an event's cost is exact and rounded once, half-even, to a
 * nano-dollar. Names: the id, an alias, or the name without a {@code -YYYYMMDD} date suffix (all this
 * test's corpus needs of the matching rules).
 */
final class IndependentPrices {

  /** One line of the table: from (null = always) and the five rates as text. */
  private record Line(LocalDate from, String[] rates) {}

  private final Map<String, List<Line>> byModel = new HashMap<>();
  private final Map<String, String> aliases = new HashMap<>();

  static IndependentPrices builtIn() {
    try (InputStream in = IndependentPrices.class.getResourceAsStream("/dev/tokenwatch/domain/cost/prices.tsv")) {
      return new IndependentPrices(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private IndependentPrices(String tsv) {
    for (String row : tsv.split("\n")) {
      if (row.isBlank() || row.startsWith("#")) {
        continue;
      }
      String[] f = row.split("\t", -1);
      String model = f[1];
      LocalDate from = f[2].equals("-") ? null : LocalDate.parse(f[2]);
      byModel.computeIfAbsent(model, m -> new ArrayList<>())
          .add(new Line(from, new String[] {f[3], f[4], f[5], f[6], f[7]}));
      if (!f[8].equals("-")) {
        for (String alias : f[8].split(",")) {
          aliases.putIfAbsent(alias, model);
        }
      }
    }
  }

  private String id(String name) {
    if (byModel.containsKey(name)) {
      return name;
    }
    if (aliases.containsKey(name)) {
      return aliases.get(name);
    }
    String undated = name.replaceFirst("-\\d{8}$", "");
    return byModel.containsKey(undated) ? undated : aliases.get(undated);
  }

  /** Whether the table prices {@code model}. */
  boolean prices(String model) {
    return id(model) != null;
  }

  /** The nano-dollars of one call; cache creation tokens as 5-minute writes. */
  long nanoUsd(String model, Instant at, long input, long output, long cacheCreation, long cacheRead) {
    LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
    Line effective = null;
    for (Line line : byModel.get(id(model))) {
      if (line.from() == null || !day.isBefore(line.from())) {
        if (effective == null || effective.from() == null
            || (line.from() != null && line.from().isAfter(effective.from()))) {
          effective = line;
        }
      }
    }
    String[] r = effective.rates();
    long prompt = input + cacheCreation + cacheRead;
    String cacheWrite = r[2].equals("-") ? r[0] : r[2];
    String cacheReadRate = r[4].equals("-") ? r[0] : r[4];
    BigDecimal usdPerMillionTimesTokens = rate(r[0], prompt).multiply(BigDecimal.valueOf(input))
        .add(rate(r[1], prompt).multiply(BigDecimal.valueOf(output)))
        .add(rate(cacheWrite, prompt).multiply(BigDecimal.valueOf(cacheCreation)))
        .add(rate(cacheReadRate, prompt).multiply(BigDecimal.valueOf(cacheRead)));
    // USD per 10^6 tokens x tokens = 10^-6 USD = 1,000 nano-dollars
    return usdPerMillionTimesTokens.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.HALF_EVEN)
        .longValueExact();
  }

  /** "3;>200000=6" at a prompt size: the price of the highest threshold exceeded, else the base. */
  private static BigDecimal rate(String text, long prompt) {
    if (text.equals("-")) {
      return BigDecimal.ZERO;
    }
    String[] parts = text.split(";");
    BigDecimal price = new BigDecimal(parts[0]);
    TreeMap<Long, BigDecimal> tiers = new TreeMap<>();
    for (int i = 1; i < parts.length; i++) {
      String[] tier = parts[i].substring(1).split("=");
      tiers.put(Long.parseLong(tier[0]), new BigDecimal(tier[1]));
    }
    for (Map.Entry<Long, BigDecimal> tier : tiers.entrySet()) {
      if (prompt > tier.getKey()) {
        price = tier.getValue();
      }
    }
    return price;
  }
}
