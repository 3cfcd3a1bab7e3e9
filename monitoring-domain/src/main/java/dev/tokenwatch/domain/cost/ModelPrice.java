package dev.tokenwatch.domain.cost;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The prices of one model over time, with the names it is also known by and where the prices came
 * from.
 *
 * @param model the model id, as the source names it (e.g. {@code claude-sonnet-4-5})
 * @param provider the provider ({@code anthropic}, {@code openai}, ...); {@code null} if unknown
 * @param aliases other exact names of the model (the source's {@code equals} rules)
 * @param periods the prices and the day each took effect, sorted by day; the first one takes
 *     effect at the beginning of time ({@code from} is {@code null}), later ones at the start of
 *     their day in UTC
 * @param source where the prices came from: the table with its date, or a configuration line
 */
public record ModelPrice(String model, String provider, List<String> aliases, List<Period> periods, String source) {

  /**
   * Prices in effect from a day on.
   *
   * @param from the first day (UTC) they apply to; {@code null} for "always" (the first period)
   * @param prices the prices
   */
  public record Period(LocalDate from, Prices prices) {
    public Period {
      Objects.requireNonNull(prices, "prices");
    }
  }

  public ModelPrice {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank, got " + model);
    }
    aliases = List.copyOf(aliases);
    List<Period> sorted = new ArrayList<>(periods);
    sorted.sort(Comparator.comparing(Period::from, Comparator.nullsFirst(Comparator.naturalOrder())));
    if (sorted.isEmpty() || sorted.get(0).from() != null) {
      throw new IllegalArgumentException(model + ": the first prices must apply from the beginning (no date)");
    }
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).from() == null || sorted.get(i).from().equals(sorted.get(i - 1).from())) {
        throw new IllegalArgumentException(model + ": two prices from the same day " + sorted.get(i).from());
      }
    }
    periods = List.copyOf(sorted);
    Objects.requireNonNull(source, "source");
  }

  /** A model with one set of prices for all time. */
  public static ModelPrice of(String model, Prices prices, String source) {
    return new ModelPrice(model, null, List.of(), List.of(new Period(null, prices)), source);
  }

  /** The prices in effect at {@code time}. */
  public Prices at(Instant time) {
    Prices current = periods.get(0).prices();
    for (Period period : periods) {
      if (period.from() != null && !time.isBefore(period.from().atStartOfDay(ZoneOffset.UTC).toInstant())) {
        current = period.prices();
      }
    }
    return current;
  }

  /** The prices in effect now, i.e. those of the last period. */
  public Prices latest() {
    return periods.get(periods.size() - 1).prices();
  }

  /** This model with another source. */
  public ModelPrice withSource(String newSource) {
    return new ModelPrice(model, provider, aliases, periods, newSource);
  }
}
