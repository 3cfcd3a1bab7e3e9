package dev.tokenwatch.app;

import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.PeriodWindow;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.ledger.UsageRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The current period of a budget, read once from the tracker and shown as text or JSON. */
final class StatusView {

  private final TokenBudget budget;
  private final PeriodWindow window;
  private final List<UsageRow> models;
  private final Usage usage;
  /** The period before the current one, if it has usage. */
  private final List<UsageRow> earlier;
  private final List<Double> fired;
  private final Instant now;

  private StatusView(TokenTracker tracker, Instant now) {
    this.budget = tracker.getBudget();
    this.window = tracker.getCurrentPeriod();
    this.models = tracker.getModelUsage().rows();
    this.usage = tracker.getUsage();
    // the period before the current one only: enough to see last month's ingested logs, and bounded
    // (the whole past would make every status a scan of the ledger)
    Instant previousStart = budget.period().startOf(window.startInstant().minusNanos(1), budget.zone()).toInstant();
    this.earlier = tracker.getPeriodTotals(previousStart, window.startInstant()).rows();
    this.fired = tracker.getFiredThresholds();
    this.now = now;
  }

  static StatusView read(TokenTracker tracker, Instant now) {
    return new StatusView(tracker, now);
  }

  String text(Format format) {
    StringBuilder s = new StringBuilder();
    Duration left = Duration.between(now, window.endInstant());
    s.append("Budget  ").append(format.bold(budget.name())).append(" (").append(budget.period().label())
        .append(", ").append(budget.zone().getId()).append(")\n");
    s.append("Period  ").append(Format.time(window.start())).append(" to ").append(Format.time(window.end()))
        .append(", ").append(Format.duration(left)).append(" left\n");
    s.append("Usage   ").append(format.bar(usage.percentage())).append('\n');
    s.append("Used    ").append(Format.tokens(usage.used())).append(" of ").append(Format.tokens(usage.limit()))
        .append(" tokens, ").append(Format.tokens(usage.remaining())).append(" remaining\n");
    s.append("Alerts  ").append(fired.isEmpty() ? "none fired this period" : fired.stream()
        .map(t -> Format.percent(t) + " (" + AlertLevel.forThreshold(t).name().toLowerCase(Locale.ROOT) + ")")
        .collect(Collectors.joining(", ")) + " fired this period").append('\n');
    if (!earlier.isEmpty()) {
      s.append("Earlier ").append(earlierText()).append('\n');
    }
    s.append('\n');
    if (models.isEmpty()) {
      s.append("No usage in this period yet.\n");
      return s.toString();
    }
    int modelWidth = Math.max(5, models.stream().mapToInt(m -> m.key(0).length()).max().orElse(5));
    String row = "%-" + modelWidth + "s  %13s  %6s  %7s%n";
    s.append(String.format(Locale.ROOT, row, "Model", "Tokens", "Share", "Calls"));
    for (UsageRow m : models) {
      s.append(String.format(Locale.ROOT, row, m.key(0), Format.tokens(m.counts().totalTokens()),
          Format.percent(share(m)), Format.tokens(m.counts().calls())));
    }
    return s.toString();
  }

  String json() {
    return Json.object(json -> {
      json.writeStringField("budget", budget.name());
      json.writeStringField("period", budget.period().label());
      json.writeStringField("zone", budget.zone().getId());
      json.writeStringField("periodStart", Json.time(window.start()));
      json.writeStringField("periodEnd", Json.time(window.end()));
      json.writeNumberField("secondsLeft", Math.max(0, Duration.between(now, window.endInstant()).getSeconds()));
      json.writeNumberField("limit", usage.limit());
      json.writeNumberField("used", usage.used());
      json.writeNumberField("remaining", usage.remaining());
      json.writeNumberField("ratio", usage.percentage());
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
        json.writeNumberField("share", share(m));
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("firedThresholds");
      for (double threshold : fired) {
        json.writeNumber(threshold);
      }
      json.writeEndArray();
      json.writeArrayFieldStart("earlierPeriods");
      for (UsageRow p : earlier) {
        json.writeStartObject();
        json.writeStringField("periodStart", Json.time(p.start().atZone(budget.zone())));
        json.writeNumberField("used", p.counts().totalTokens());
        json.writeNumberField("ratio", (double) p.counts().totalTokens() / budget.limit());
        json.writeEndObject();
      }
      json.writeEndArray();
    });
  }

  private double share(UsageRow m) {
    return usage.used() == 0 ? 0.0 : (double) m.counts().totalTokens() / usage.used();
  }

  /**
   * "47,972,864 tokens in the previous period (2026-11: 4,797.3% of its limit): see 'tokenwatch report
   * monthly'": usage just before the current period (a first ingest of last month's logs) is not lost
   * from sight.
   */
  private String earlierText() {
    UsageRow previous = earlier.get(0);
    return Format.tokens(previous.counts().totalTokens()) + " tokens in the previous period ("
        + Format.periodLabel(budget.period(), previous.start().atZone(budget.zone())) + ": "
        + Format.percent((double) previous.counts().totalTokens() / budget.limit()) + " of its limit): see 'tokenwatch"
        + " report " + budget.period().label() + "'";
  }
}
