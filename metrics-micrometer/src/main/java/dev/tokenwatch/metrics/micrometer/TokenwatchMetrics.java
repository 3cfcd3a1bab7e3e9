package dev.tokenwatch.metrics.micrometer;

import dev.tokenwatch.domain.BatchResult;
import dev.tokenwatch.domain.BudgetCharge;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackResult;
import dev.tokenwatch.domain.TrackedBudget;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Micrometer meters of a {@link TokenTracker}, named after the OpenTelemetry GenAI conventions where
 * they have a name, all with low-cardinality tags only (no project, session, tag or request id):
 *
 * <ul>
 *   <li>{@value #TOKEN_USAGE} (distribution summary, tokens per call) tagged {@value #TOKEN_TYPE_TAG}
 *       {@code input|output} and {@value #MODEL_TAG}; input counts every prompt token, cache reads and
 *       writes included, as OpenTelemetry defines it;
 *   <li>{@value #CACHE_TOKENS} (counter) tagged {@value #CACHE_TYPE_TAG} {@code read|creation} and the
 *       model;
 *   <li>{@value #EVENTS} (counter) tagged {@value #OUTCOME_TAG} {@code recorded|replaced|duplicate|before_retention};
 *   <li>per budget, tagged {@value #BUDGET_TAG}: {@value #BUDGET_USED} and {@value #BUDGET_LIMIT} (in
 *       tokens, or USD for a USD budget; tag {@value #UNIT_TAG}), {@value #BUDGET_RATIO} (1 = 100%) and
 *       {@value #BUDGET_COST} (the known cost of the period's calls).
 * </ul>
 *
 * <p>Token meters count the events passed to {@link #record} (or tracked through {@link #track}) whose
 * outcome is {@code RECORDED}: a duplicate adds nothing, and a replacement's difference is not known
 * here (the budget gauges show it). The budget gauges read the ledger, so they also count what other
 * trackers and processes charge to the same store, at most {@link Builder#refreshInterval} late. A
 * model name beyond the first {@link Builder#maxModels} is tagged {@value #OTHER_MODEL}.
 */
public final class TokenwatchMetrics implements MeterBinder {

  public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  public static final String TOKEN_TYPE_TAG = "gen_ai.token.type";
  public static final String MODEL_TAG = "gen_ai.request.model";
  public static final String CACHE_TOKENS = "tokenwatch.cache.tokens";
  public static final String CACHE_TYPE_TAG = "tokenwatch.cache.type";
  public static final String EVENTS = "tokenwatch.events";
  public static final String OUTCOME_TAG = "outcome";
  public static final String BUDGET_USED = "tokenwatch.budget.used";
  public static final String BUDGET_LIMIT = "tokenwatch.budget.limit";
  public static final String BUDGET_RATIO = "tokenwatch.budget.ratio";
  public static final String BUDGET_COST = "tokenwatch.budget.cost.usd";
  public static final String BUDGET_TAG = "budget";
  public static final String UNIT_TAG = "unit";
  /** The model tag of the models past the cap. */
  public static final String OTHER_MODEL = "other";

  private final TokenTracker tracker;
  private final int maxModels;
  private final List<BudgetGauges> budgets;
  private final List<RegistryMeters> registries = new CopyOnWriteArrayList<>();
  private final BatchAttribution attribution = new BatchAttribution();

  private TokenwatchMetrics(Builder builder) {
    this.tracker = builder.tracker;
    this.maxModels = builder.maxModels;
    List<BudgetGauges> gauges = new ArrayList<>();
    for (TrackedBudget budget : tracker.budgets()) {
      gauges.add(new BudgetGauges(budget, builder.refreshInterval.toNanos()));
    }
    this.budgets = List.copyOf(gauges);
  }

  /** The meters of {@code tracker}, with the defaults: gauges re-read every 5 s, 50 models. */
  public static TokenwatchMetrics of(TokenTracker tracker) {
    return builder(tracker).build();
  }

  /** A builder of the meters of {@code tracker}. */
  public static Builder builder(TokenTracker tracker) {
    return new Builder(tracker);
  }

  /** Registers every meter with {@code registry}; events recorded before are not in its token meters. */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    for (BudgetGauges gauges : budgets) {
      gauges.register(registry);
    }
    registries.add(new RegistryMeters(registry, maxModels));
  }

  /** Tracks {@code event} with the tracker and records it: use instead of {@code tracker.track}. */
  public TrackResult track(TokenUsageEvent event) {
    TrackResult result = tracker.track(event);
    record(event, result);
    return result;
  }

  /**
   * Records an event the tracker has tracked, with its result: the shape of a {@code
   * BiConsumer<TokenUsageEvent, TrackResult>}, such as the LangChain4j listener's {@code onTracked}.
   */
  public void record(TokenUsageEvent event, TrackResult result) {
    charged(result.budgets());
    attribution.tracked(event);
    for (RegistryMeters meters : registries) {
      meters.record(event, result.outcome());
    }
  }

  /**
   * Records a batch the tracker has tracked in one {@code trackAll}, with its result: the shape of
   * the ingestor's {@code onTracked}. The store tells only how many events had each outcome, so the
   * token meters get the events that must be the recorded ones (those whose request id this binder
   * has not seen before); when the ledger had some id from before the binder, their number does not
   * match and the batch adds to {@value #EVENTS} and the gauges only.
   */
  public void recordAll(List<TokenUsageEvent> events, BatchResult result) {
    charged(result.budgets());
    List<TokenUsageEvent> recorded = attribution.recorded(events, result, tracker::retainedFrom);
    for (RegistryMeters meters : registries) {
      meters.recordAll(recorded, result);
    }
  }

  private void charged(List<BudgetCharge> charges) {
    long now = System.nanoTime();
    for (BudgetCharge charge : charges) {
      for (BudgetGauges gauges : budgets) {
        if (gauges.name().equals(charge.budget().name())) {
          gauges.charged(charge.usage(), now);
        }
      }
    }
  }

  /** Builds {@link TokenwatchMetrics}. */
  public static final class Builder {
    private final TokenTracker tracker;
    private Duration refreshInterval = Duration.ofSeconds(5);
    private int maxModels = 50;

    private Builder(TokenTracker tracker) {
      this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    /** How old a budget's figure may be before a gauge reads the ledger again; zero reads on every read. */
    public Builder refreshInterval(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("refreshInterval must not be negative, got " + value);
      }
      this.refreshInterval = value;
      return this;
    }

    /** How many model names get their own tag value (the rest: {@value TokenwatchMetrics#OTHER_MODEL}); at least 1. */
    public Builder maxModels(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxModels must be at least 1, got " + value);
      }
      this.maxModels = value;
      return this;
    }

    public TokenwatchMetrics build() {
      return new TokenwatchMetrics(this);
    }
  }
}
