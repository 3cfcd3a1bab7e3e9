package dev.tokenwatch.metrics.micrometer;

import dev.tokenwatch.domain.BatchResult;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The per-event meters of one registry: outcome counters, and token meters per model (at most maxModels, then "other"). */
final class RegistryMeters {

  private final MeterRegistry registry;
  private final int maxModels;
  private final Map<TrackOutcome, Counter> outcomes = new EnumMap<>(TrackOutcome.class);
  private final ConcurrentHashMap<String, ModelMeters> models = new ConcurrentHashMap<>();

  RegistryMeters(MeterRegistry registry, int maxModels) {
    this.registry = registry;
    this.maxModels = maxModels;
    for (TrackOutcome outcome : TrackOutcome.values()) {
      outcomes.put(outcome, Counter.builder(TokenwatchMetrics.EVENTS)
          .tag(TokenwatchMetrics.OUTCOME_TAG, outcome.name().toLowerCase(Locale.ROOT))
          .description("Usage events tracked, by what tracking did with them")
          .register(registry));
    }
  }

  void record(TokenUsageEvent event, TrackOutcome outcome) {
    outcomes.get(outcome).increment();
    if (outcome == TrackOutcome.RECORDED) {
      // a duplicate adds nothing; a replacement's difference is not known here (the gauges have it)
      countTokens(event);
    }
  }

  /** A batch's outcome counts, and the token meters of the events known to be its recorded ones. */
  void recordAll(List<TokenUsageEvent> recorded, BatchResult result) {
    add(TrackOutcome.RECORDED, result.recorded());
    add(TrackOutcome.REPLACED, result.replaced());
    add(TrackOutcome.DUPLICATE, result.duplicates());
    add(TrackOutcome.BEFORE_RETENTION, result.beforeRetention());
    for (TokenUsageEvent event : recorded) {
      countTokens(event);
    }
  }

  private void add(TrackOutcome outcome, int count) {
    if (count > 0) {
      outcomes.get(outcome).increment(count);
    }
  }

  private void countTokens(TokenUsageEvent event) {
    ModelMeters meters = models.get(event.model());
    if (meters == null) {
      meters = meters(event.model());
    }
    meters.input.record(event.inputTokens() + event.cacheCreationTokens() + event.cacheReadTokens());
    meters.output.record(event.outputTokens());
    if (event.cacheReadTokens() > 0) {
      meters.cacheRead.increment(event.cacheReadTokens());
    }
    if (event.cacheCreationTokens() > 0) {
      meters.cacheCreation.increment(event.cacheCreationTokens());
    }
  }

  /** A new model's meters, or those of "other" past the cap (threads racing at the cap may pass it by one each). */
  private ModelMeters meters(String model) {
    return models.computeIfAbsent(models.size() < maxModels ? model : TokenwatchMetrics.OTHER_MODEL, this::newMeters);
  }

  private ModelMeters newMeters(String model) {
    return new ModelMeters(tokens(model, "input"), tokens(model, "output"), cache(model, "read"),
        cache(model, "creation"));
  }

  private DistributionSummary tokens(String model, String type) {
    return DistributionSummary.builder(TokenwatchMetrics.TOKEN_USAGE)
        .tag(TokenwatchMetrics.TOKEN_TYPE_TAG, type).tag(TokenwatchMetrics.MODEL_TAG, model)
        .description("Measures number of input and output tokens used")
        .register(registry);
  }

  private Counter cache(String model, String type) {
    return Counter.builder(TokenwatchMetrics.CACHE_TOKENS)
        .tag(TokenwatchMetrics.CACHE_TYPE_TAG, type).tag(TokenwatchMetrics.MODEL_TAG, model)
        .description("Prompt tokens read from or written to a prompt cache (part of the input tokens)")
        .register(registry);
  }

  private record ModelMeters(DistributionSummary input, DistributionSummary output, Counter cacheRead,
      Counter cacheCreation) {}
}
