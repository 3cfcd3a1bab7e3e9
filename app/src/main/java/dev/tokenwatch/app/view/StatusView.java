package dev.tokenwatch.app.view;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.Forecast;
import dev.tokenwatch.domain.PeriodWindow;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TrackedBudget;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageRow;
import dev.tokenwatch.ingest.CostUsd;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The current period of one budget, read once from the tracker and shown as text (in detail, or as
 * one line of the overview of several budgets) or as a JSON object.
 */
public final class StatusView {

  private final TokenBudget budget;
  private final PeriodWindow window;
  private final boolean countedFromLedger;
  private final Usage usage;
  private final List<Double> fired;
  /** Per model; empty for a {@link #summary}. */
  private final List<UsageRow> models;
  /** The period before the current one, if it has usage; empty for a {@link #summary}. */
  private final List<UsageRow> earlier;
  private final Instant now;
  /** The period's projection at its rate so far, if the evidence suffices. */
  private final Optional<Forecast> forecast;
  private final List<Double> firedForecasts;
  private final HardLimitView hardLimit;
  private final Optional<BurnRate> burn;

  private StatusView(TrackedBudget tracked, Instant now, boolean detailed) {
    this.budget = tracked.getBudget();
    this.window = tracked.getCurrentPeriod();
    // before the usage: a first track between the two reads would start the kept total
    this.countedFromLedger = tracked.countedFromLedger();
    this.usage = tracked.getUsage();
    this.hardLimit = HardLimitView.of(tracked, usage);
    this.fired = tracked.getFiredThresholds();
    this.models = detailed ? tracked.getModelUsage().rows() : List.of();
    // the period before the current one only: enough to see last month's ingested logs, and bounded
    // (the whole past would make every status a scan of the ledger)
    Instant previousStart = budget.period().startOf(window.startInstant().minusNanos(1), budget.zone()).toInstant();
    this.earlier = detailed ? tracked.getPeriodTotals(previousStart, window.startInstant()).rows() : List.of();
    this.now = now;
    this.forecast = Forecast.of(budget, window, usage.used(), now);
    this.firedForecasts = budget.forecastThresholds().isEmpty() ? List.of() : tracked.getFiredForecasts();
    this.burn = BurnRate.of(budget, window, usage.used(), now, forecast);
  }

  /** Everything status shows of {@code budget}. */
  public static StatusView read(TrackedBudget budget, Instant now) {
    return new StatusView(budget, now, true);
  }

  /** What one line of the overview shows: no models, no earlier period. */
  public static StatusView summary(TrackedBudget budget, Instant now) {
    return new StatusView(budget, now, false);
  }

  /** The detail of one budget, as {@code status} showed it before there were several. */
  public String text(Format format) {
    StringBuilder s = new StringBuilder();
    s.append("Budget  ").append(format.bold(budget.name())).append(" (").append(budget.period().label())
        .append(", ").append(budget.zone().getId()).append(budget.scope().isAny() ? "" : "; only " + budget.scope())
        .append(")\n");
    s.append("Period  ").append(Format.time(window.start())).append(" to ").append(Format.time(window.end()))
        .append(", ").append(Format.duration(left())).append(" left\n");
    s.append("Usage   ").append(format.bar(usage.percentage())).append('\n');
    s.append("Used    ").append(usedText(true)).append(", ").append(Format.amount(usage.unit(), usage.remaining()))
        .append(" remaining\n");
    if (usage.unit() == BudgetUnit.USD && usage.counts().unpricedCalls() > 0) {
      s.append("Unpriced ").append(unpricedText()).append('\n');
    }
    s.append(hardLimit.detail());
    s.append("Alerts  ").append(fired.isEmpty() ? "none fired this period" : fired.stream()
        .map(t -> Format.percent(t) + " (" + AlertLevel.forThreshold(t).name().toLowerCase(Locale.ROOT) + ")")
        .collect(Collectors.joining(", ")) + " fired this period").append('\n');
    if (usage.used() > 0) { // no usage: the table below says so
      burn.ifPresent(b -> s.append("Burn    ").append(b.text(budget)).append('\n'));
    }
    if (!budget.forecastThresholds().isEmpty()) {
      s.append("Forecast ").append(forecastAlertsText()).append('\n');
    }
    if (countedFromLedger) {
      s.append("Ledger  ").append(LEDGER_NOTE).append('\n');
    }
    if (!earlier.isEmpty()) {
      s.append("Earlier ").append(earlierText()).append('\n');
    }
    s.append('\n');
    if (models.isEmpty()) {
      s.append("No usage in this period yet.\n");
      return s.toString();
    }
    // the cost per model whatever the budget's unit: a token budget's reader wants the bill too
    int modelWidth = Math.max(5, models.stream().mapToInt(m -> m.key(0).length()).max().orElse(5));
    String row = "%-" + modelWidth + "s  %13s  %6s  %7s  %10s%n";
    s.append(String.format(Locale.ROOT, row, "Model", "Tokens", "Share", "Calls", "Cost"));
    for (UsageRow m : models) {
      Counts c = m.counts();
      String cost = c.unpricedCalls() == c.calls() ? "unpriced"
          : BudgetUnit.formatUsd(c.costNanoUsd()) + (c.unpricedCalls() > 0 ? "*" : "");
      s.append(String.format(Locale.ROOT, row, m.key(0), Format.tokens(c.totalTokens()),
          Format.percent(share(m)), Format.tokens(c.calls()), cost));
    }
    return s.toString();
  }

  /** What {@link #text} says when the store keeps no running total of the period yet. */
  public static final String LEDGER_NOTE = "counted from the ledger: the store keeps no running total of this period yet "
      + "(a new budget, scope or period); tracking starts one";

  /**
   * One line of the overview: "org-day  [████░░…] 20.0%  $30.00 of $150.00 — 4.1 M tokens  (daily,
   * 12h 0m left; alerts up to 80.0% fired)"; names padded to {@code nameWidth}.
   */
  public String line(Format format, int nameWidth) {
    StringBuilder notes = new StringBuilder(budget.period().label()).append(", ")
        .append(Format.duration(left())).append(" left").append(hardLimit.lineNote());
    if (!budget.scope().isAny()) {
      notes.append("; only ").append(budget.scope());
    }
    if (!fired.isEmpty()) {
      // the highest says it all: every lower threshold counts as fired with it
      notes.append("; alerts up to ").append(Format.percent(fired.get(fired.size() - 1))).append(" fired");
    }
    // a forecast needs usage and time gone: there is a rate whenever there is one
    if (usage.used() > 0 && burn.isPresent()) {
      notes.append("; ").append(burn.get().rateText(budget));
      forecast.ifPresent(f -> notes.append(", projected ").append(Format.percent(f.ratio())));
    }
    String name = budget.name();
    return name + " ".repeat(Math.max(0, nameWidth - DisplayWidth.of(name)) + 2) + format.bar(usage.percentage())
        + "  " + usedText(false) + "  (" + notes + ")\n";
  }

  /** What the overview says below the lines about this budget, one line each; "" if nothing. */
  public String notes() {
    StringBuilder s = new StringBuilder();
    if (usage.unit() == BudgetUnit.USD && usage.counts().unpricedCalls() > 0) {
      s.append(budget.name()).append(": ").append(unpricedText()).append('\n');
    }
    if (countedFromLedger) {
      s.append(budget.name()).append(": ").append(LEDGER_NOTE).append('\n');
    }
    return s.append(hardLimit.overviewNote()).toString();
  }

  /** The budget this view shows. */
  public TokenBudget budget() {
    return budget;
  }

  /** "7,240 of 10,000 tokens", or "$187.40 of $250.00 (75.0%) — 48.0 M tokens" for a USD budget. */
  private String usedText(boolean withPercent) {
    if (usage.unit() == BudgetUnit.TOKENS) {
      return usage.usedOfLimit();
    }
    return usage.usedOfLimit() + (withPercent ? " (" + Format.percent(usage.percentage()) + ")" : "") + " — "
        + Format.compactTokens(usage.counts().totalTokens());
  }

  /** "alerts at 100.0%, 120.0% of the projection: up to 100.0% fired this period" (or none fired). */
  private String forecastAlertsText() {
    return "alerts at " + budget.forecastThresholds().stream().map(Format::percent).collect(Collectors.joining(", "))
        + " of the projection: " + (firedForecasts.isEmpty() ? "none fired this period"
            : "up to " + Format.percent(firedForecasts.get(firedForecasts.size() - 1)) + " fired this period");
  }

  private String unpricedText() {
    return Format.unpriced(usage.counts()) + ", not counted in dollars: see 'tokenwatch prices', or price the "
        + "model under prices: in the configuration";
  }

  private Duration left() {
    return Duration.between(now, window.endInstant());
  }

  /** This budget as one object of {@code status --json}'s {@code budgets}. */
  public void json(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("budget", budget.name());
    json.writeStringField("unit", budget.unit().name().toLowerCase(Locale.ROOT));
    json.writeStringField("scope", budget.scope().toString());
    json.writeStringField("period", budget.period().label());
    json.writeStringField("zone", budget.zone().getId());
    json.writeStringField("periodStart", Json.time(window.start()));
    json.writeStringField("periodEnd", Json.time(window.end()));
    json.writeNumberField("secondsLeft", Math.max(0, left().getSeconds()));
    amountField(json, "limit", usage.limit());
    amountField(json, "used", usage.used());
    amountField(json, "remaining", usage.remaining());
    json.writeNumberField("ratio", usage.percentage());
    json.writeNumberField("totalTokens", usage.counts().totalTokens());
    json.writeNumberField("costUsd", usd(usage.counts().costNanoUsd()));
    if (usage.counts().unpricedCalls() > 0) {
      json.writeNumberField("unpricedEvents", usage.counts().unpricedCalls());
      json.writeNumberField("unpricedTokens", usage.counts().unpricedTokens());
    }
    json.writeBooleanField("countedFromLedger", countedFromLedger);
    json.writeArrayFieldStart("models");
    for (UsageRow m : models) {
      json.writeStartObject();
      json.writeStringField("model", m.key(0));
      json.writeNumberField("totalTokens", m.counts().totalTokens());
      json.writeNumberField("inputTokens", m.counts().inputTokens());
      json.writeNumberField("outputTokens", m.counts().outputTokens());
      json.writeNumberField("cacheCreationTokens", m.counts().cacheCreationTokens());
      json.writeNumberField("cacheReadTokens", m.counts().cacheReadTokens());
      json.writeNumberField("calls", m.counts().calls());
      json.writeNumberField("costUsd", usd(m.counts().costNanoUsd()));
      json.writeNumberField("share", share(m));
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("firedThresholds");
    for (double threshold : fired) {
      json.writeNumber(threshold);
    }
    json.writeEndArray();
    if (forecast.isPresent()) {
      json.writeObjectFieldStart("forecast");
      amountField(json, "projected", forecast.get().projected());
      json.writeNumberField("ratio", forecast.get().ratio());
      if (forecast.get().limitReachedAt() != null) {
        json.writeStringField("limitReachedAt", Json.time(forecast.get().limitReachedAt().atZone(budget.zone())));
      }
      json.writeEndObject();
    } else {
      json.writeNullField("forecast");
    }
    json.writeArrayFieldStart("firedForecasts");
    for (double threshold : firedForecasts) {
      json.writeNumber(threshold);
    }
    json.writeEndArray();
    json.writeArrayFieldStart("earlierPeriods");
    for (UsageRow p : earlier) {
      json.writeStartObject();
      json.writeStringField("periodStart", Json.time(p.start().atZone(budget.zone())));
      amountField(json, "used", budget.measure(p.counts()));
      json.writeNumberField("ratio", (double) budget.measure(p.counts()) / budget.limit());
      json.writeEndObject();
    }
    json.writeEndArray();
    hardLimit.json(json, this::amountField);
    if (burn.isPresent()) {
      json.writeObjectFieldStart("burn");
      json.writeStringField("per", burn.get().perLabel());
      amountField(json, "average", burn.get().average());
      json.writeNumberField("elapsedSeconds", burn.get().elapsed().getSeconds());
      json.writeEndObject();
    } else {
      json.writeNullField("burn");
    }
    json.writeEndObject();
  }

  /** Tokens as a whole number, dollars as a decimal number of dollars (never nano-dollars). */
  private void amountField(JsonGenerator json, String name, long amount) throws IOException {
    if (budget.unit() == BudgetUnit.TOKENS) {
      json.writeNumberField(name, amount);
    } else {
      json.writeNumberField(name, usd(amount));
    }
  }

  private static BigDecimal usd(long nanoUsd) {
    return CostUsd.of(nanoUsd);
  }

  /** The model's part of the budget's usage, in the budget's unit. */
  private double share(UsageRow m) {
    return usage.used() == 0 ? 0.0 : (double) budget.measure(m.counts()) / usage.used();
  }

  /**
   * "47,972,864 tokens in the previous period (2026-11: 4,797.3% of its limit): see 'tokenwatch report
   * monthly'": usage just before the current period (a first ingest of last month's logs) is not lost
   * from sight.
   */
  private String earlierText() {
    UsageRow previous = earlier.get(0);
    long amount = budget.measure(previous.counts());
    return budget.unit().format(amount) + " in the previous period ("
        + Format.periodLabel(budget.period(), previous.start().atZone(budget.zone())) + ": "
        + Format.percent((double) amount / budget.limit()) + " of its limit): see 'tokenwatch report "
        + budget.period().label() + "'";
  }
}
