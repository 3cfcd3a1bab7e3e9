package dev.tokenwatch.domain;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A budget: how many tokens, or how many US dollars, may be used per calendar period by the events
 * of its scope, and at which shares of that limit alerts are raised. Immutable; every field is
 * validated on construction.
 *
 * @param name identifies the budget in a store shared by several budgets; letters, digits, {@code
 *     . _ -}, 1 to 100 characters
 * @param limit per period, in the unit's amount (tokens, or nano-dollars for USD), greater than 0
 * @param period the calendar period the limit applies to
 * @param alertThresholds shares of the limit (0.5 = 50%) at which alerts fire, each in (0, 10];
 *     sorted ascending and de-duplicated on construction
 * @param zone the time zone the period boundaries are computed in
 * @param historySize how many recent events {@code getHistory()} shows, 1 to 100,000
 * @param scope which events the budget counts ({@link UsageFilter#ANY} for all)
 * @param unit what the limit counts
 * @param forecastThresholds shares of the limit at which a forecast alert fires when the period's
 *     projected total ({@link Forecast}) reaches them; empty (the default) for no forecast alerts
 * @param forecastMinimum the usage (in the unit's amount) below which no forecast is made; by
 *     default 5% of the limit
 * @param mode soft (alerts only, the default) or hard (reservations that would pass it are refused)
 */
public record TokenBudget(
    String name, long limit, BudgetPeriod period, List<Double> alertThresholds, ZoneId zone, int historySize,
    UsageFilter scope, BudgetUnit unit, List<Double> forecastThresholds, long forecastMinimum, BudgetMode mode) {

  public static final String DEFAULT_NAME = "default";
  public static final List<Double> DEFAULT_THRESHOLDS = List.of(0.5, 0.7, 0.8, 1.0);
  public static final int DEFAULT_HISTORY_SIZE = 100;
  public static final int MAX_HISTORY_SIZE = 100_000;
  public static final double MAX_THRESHOLD = Ratio.MAX;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  public TokenBudget {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name must be 1 to 100 letters, digits, '.', '_' or '-', got " + (name == null ? "null" : '"' + name + '"'));
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    if (period == null) {
      throw new IllegalArgumentException("period must be one of daily, weekly, monthly, got null");
    }
    if (alertThresholds == null || alertThresholds.isEmpty()) {
      throw new IllegalArgumentException("alertThresholds must contain at least one threshold, got " + alertThresholds);
    }
    alertThresholds = sortedThresholds("alertThresholds", alertThresholds);
    if (zone == null) {
      throw new IllegalArgumentException("zone must be a time zone id such as UTC or Europe/Berlin, got null");
    }
    if (historySize < 1 || historySize > MAX_HISTORY_SIZE) {
      throw new IllegalArgumentException(
          "historySize must be a whole number from 1 to " + MAX_HISTORY_SIZE + ", got " + historySize);
    }
    if (scope == null) {
      throw new IllegalArgumentException("scope must not be null; UsageFilter.ANY counts every event");
    }
    if (unit == null) {
      throw new IllegalArgumentException("unit must be TOKENS or USD, got null");
    }
    forecastThresholds = forecastThresholds == null || forecastThresholds.isEmpty() ? List.of()
        : sortedThresholds("forecastThresholds", forecastThresholds);
    if (forecastMinimum < 0) {
      throw new IllegalArgumentException("forecastMinimum must not be negative, got " + forecastMinimum);
    }
    if (mode == null) {
      throw new IllegalArgumentException("mode must be soft or hard, got null");
    }
  }

  /** A soft budget. */
  public TokenBudget(String name, long limit, BudgetPeriod period, List<Double> alertThresholds, ZoneId zone,
      int historySize, UsageFilter scope, BudgetUnit unit, List<Double> forecastThresholds, long forecastMinimum) {
    this(name, limit, period, alertThresholds, zone, historySize, scope, unit, forecastThresholds, forecastMinimum,
        BudgetMode.SOFT);
  }

  /** Whether the budget is a hard limit. */
  public boolean hard() {
    return mode == BudgetMode.HARD;
  }

  /** A budget without forecast alerts. */
  public TokenBudget(String name, long limit, BudgetPeriod period, List<Double> alertThresholds, ZoneId zone,
      int historySize, UsageFilter scope, BudgetUnit unit) {
    this(name, limit, period, alertThresholds, zone, historySize, scope, unit, List.of(), defaultForecastMinimum(limit));
  }

  private static List<Double> sortedThresholds(String field, List<Double> thresholds) {
    TreeSet<Double> sorted = new TreeSet<>();
    for (int i = 0; i < thresholds.size(); i++) {
      Double threshold = thresholds.get(i);
      String problem = Ratio.problem(threshold);
      if (problem != null) {
        throw new IllegalArgumentException(field + "[" + i + "] " + problem);
      }
      sorted.add(threshold);
    }
    return List.copyOf(sorted);
  }

  /** 5% of {@code limit}, rounded up: the default usage below which no forecast is made. */
  public static long defaultForecastMinimum(long limit) {
    return limit <= 0 ? 0 : limit / 20 + (limit % 20 == 0 ? 0 : 1);
  }

  /** A budget in tokens. */
  public TokenBudget(String name, long limit, BudgetPeriod period, List<Double> alertThresholds, ZoneId zone,
      int historySize, UsageFilter scope) {
    this(name, limit, period, alertThresholds, zone, historySize, scope, BudgetUnit.TOKENS);
  }

  /** The amount of {@code counts} the budget counts against its limit (tokens or nano-dollars). */
  public long measure(Counts counts) {
    return unit.measure(counts);
  }

  /** A budget with the given limit and period and every other field at its default. */
  public static TokenBudget of(long limit, BudgetPeriod period) {
    return builder().limit(limit).period(period).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder preset with this budget's values. */
  public Builder toBuilder() {
    return new Builder().name(name).limit(limit).period(period).alertThresholds(alertThresholds).zone(zone)
        .historySize(historySize).scope(scope).unit(unit).forecastThresholds(forecastThresholds)
        .forecastMinimum(forecastMinimum).mode(mode);
  }

  /**
   * The smallest whole amount (tokens, or nano-dollars) at which {@code threshold} counts as reached:
   * {@code ceil(threshold * limit)}, computed exactly in decimal so 70% of 1,000,000 is 700,000.
   */
  public long amountAt(double threshold) {
    return amountAt(threshold, limit);
  }

  /** {@code ceil(threshold * limit)}, computed exactly in decimal (see {@link #amountAt(double)}). */
  static long amountAt(double threshold, long limit) {
    BigDecimal exact = BigDecimal.valueOf(threshold).multiply(BigDecimal.valueOf(limit));
    BigDecimal ceiling = exact.setScale(0, RoundingMode.CEILING);
    return ceiling.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : ceiling.longValueExact();
  }

  /** Builder with defaults: name "default", monthly, thresholds 50/70/80/100%, UTC, history 100. */
  public static final class Builder {
    private String name = DEFAULT_NAME;
    private long limit;
    private BudgetPeriod period = BudgetPeriod.MONTHLY;
    private List<Double> alertThresholds = DEFAULT_THRESHOLDS;
    private ZoneId zone = ZoneId.of("UTC");
    private int historySize = DEFAULT_HISTORY_SIZE;
    private UsageFilter scope = UsageFilter.ANY;
    private BudgetUnit unit = BudgetUnit.TOKENS;
    private List<Double> forecastThresholds = List.of();
    private Long forecastMinimum;
    private BudgetMode mode = BudgetMode.SOFT;

    private Builder() {}

    public Builder name(String value) {
      this.name = value;
      return this;
    }

    /** The limit in tokens (or, with {@link #unit} USD, in nano-dollars). */
    public Builder limit(long value) {
      this.limit = value;
      return this;
    }

    /**
     * A limit in US dollars: the unit becomes USD and the limit the amount in nano-dollars.
     *
     * @throws IllegalArgumentException if the amount is not positive, has more than nine decimal
     *     places or is too large
     */
    public Builder limitUsd(BigDecimal usd) {
      if (usd.signum() <= 0) {
        throw new IllegalArgumentException("limit must be a positive amount of US dollars such as 250 or 12.50, got "
            + usd.toPlainString());
      }
      try {
        this.limit = usd.movePointRight(9).longValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("limit in USD must have at most 9 decimal places and be below "
            + "9,000,000,000, got " + usd.toPlainString(), e);
      }
      this.unit = BudgetUnit.USD;
      return this;
    }

    /** Shares of the limit at which forecast alerts fire; none by default. */
    public Builder forecastThresholds(List<Double> value) {
      this.forecastThresholds = value;
      return this;
    }

    /** The usage below which no forecast is made (tokens or nano-dollars); 5% of the limit by default. */
    public Builder forecastMinimum(long value) {
      this.forecastMinimum = value;
      return this;
    }

    /** Soft (alerts only, the default) or hard (reservations that would pass the limit are refused). */
    public Builder mode(BudgetMode value) {
      this.mode = value;
      return this;
    }

    /** What the limit counts; tokens by default. */
    public Builder unit(BudgetUnit value) {
      this.unit = value;
      return this;
    }

    public Builder period(BudgetPeriod value) {
      this.period = value;
      return this;
    }

    public Builder alertThresholds(List<Double> value) {
      this.alertThresholds = value;
      return this;
    }

    public Builder zone(ZoneId value) {
      this.zone = value;
      return this;
    }

    public Builder historySize(int value) {
      this.historySize = value;
      return this;
    }

    /** Which events the budget counts; every event by default. */
    public Builder scope(UsageFilter value) {
      this.scope = value;
      return this;
    }

    public TokenBudget build() {
      return new TokenBudget(name, limit, period, alertThresholds, zone, historySize, scope, unit,
          forecastThresholds, forecastMinimum != null ? forecastMinimum : defaultForecastMinimum(limit), mode);
    }
  }
}
