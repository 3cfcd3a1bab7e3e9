package dev.tokenwatch.app;

import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.PeriodWindow;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.port.ModelTotals;
import dev.tokenwatch.domain.port.PeriodTotals;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The current period of a budget, read once from the tracker and shown as text or JSON. */
final class StatusView {

  private final TokenBudget budget;
  private final PeriodWindow window;
  private final PeriodTotals totals;
  private final Usage usage;
  private final List<Double> fired;
  private final Instant now;

  private StatusView(TokenTracker tracker, Instant now) {
    this.budget = tracker.getBudget();
    this.window = tracker.getCurrentPeriod();
    this.totals = tracker.getModelUsage();
    this.usage = Usage.of(totals.used(), budget.limit());
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
    s.append('\n');
    if (totals.models().isEmpty()) {
      s.append("No usage in this period yet.\n");
      return s.toString();
    }
    int modelWidth = Math.max(5, totals.models().stream().mapToInt(m -> m.model().length()).max().orElse(5));
    String row = "%-" + modelWidth + "s  %13s  %6s  %7s%n";
    s.append(String.format(Locale.ROOT, row, "Model", "Tokens", "Share", "Calls"));
    for (ModelTotals m : totals.models()) {
      s.append(String.format(Locale.ROOT, row, m.model(), Format.tokens(m.totalTokens()),
          Format.percent(share(m)), Format.tokens(m.calls())));
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
      for (ModelTotals m : totals.models()) {
        json.writeStartObject();
        json.writeStringField("model", m.model());
        json.writeNumberField("totalTokens", m.totalTokens());
        json.writeNumberField("inputTokens", m.inputTokens());
        json.writeNumberField("outputTokens", m.outputTokens());
        json.writeNumberField("cacheCreationTokens", m.cacheCreationTokens());
        json.writeNumberField("cacheReadTokens", m.cacheReadTokens());
        json.writeNumberField("calls", m.calls());
        json.writeNumberField("share", share(m));
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("firedThresholds");
      for (double threshold : fired) {
        json.writeNumber(threshold);
      }
      json.writeEndArray();
    });
  }

  private double share(ModelTotals m) {
    return usage.used() == 0 ? 0.0 : (double) m.totalTokens() / usage.used();
  }
}
