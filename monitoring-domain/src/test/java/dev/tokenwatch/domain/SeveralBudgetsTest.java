package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.cost.ModelPrice;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.cost.Prices;
import dev.tokenwatch.domain.cost.Rate;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.domain.testing.MutableClock;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A tracker of several budgets: one store operation charges each event to every budget it falls under. */
class SeveralBudgetsTest {

  /** $10 per million input tokens, $50 per million output tokens; nothing else is priced. */
  private static final PriceTable PRICES = PriceTable.of("test", LocalDate.of(2026, 11, 1), List.of(
      ModelPrice.of("claude-opus-4-1", new Prices(Rate.of("10"), Rate.of("50"), null, null, null), "test"),
      ModelPrice.of("claude-sonnet-4", new Prices(Rate.of("2"), Rate.of("10"), null, null, null), "test")));

  private final MutableClock clock = MutableClock.at("2026-11-15T10:00:00Z");
  private final InMemoryUsageStore store = new InMemoryUsageStore();
  private final List<Alert> alerts = Collections.synchronizedList(new ArrayList<>());

  private final TokenBudget orgMonth = TokenBudget.builder().name("org-month").limitUsd(new BigDecimal("1.00"))
      .period(BudgetPeriod.MONTHLY).build();
  private final TokenBudget orgDay = TokenBudget.builder().name("org-day").limitUsd(new BigDecimal("0.50"))
      .period(BudgetPeriod.DAILY).alertThresholds(List.of(0.8, 1.0)).build();
  private final TokenBudget search = TokenBudget.builder().name("search").limitUsd(new BigDecimal("0.40"))
      .scope(UsageFilter.ANY.withTag("team", "search")).build();
  private final TokenBudget opus = TokenBudget.builder().name("opus").limit(20_000).period(BudgetPeriod.WEEKLY)
      .scope(UsageFilter.models("claude-opus-*")).build();

  private TokenTracker tracker(List<TokenBudget> budgets) {
    return tracker(budgets, store);
  }

  private TokenTracker tracker(List<TokenBudget> budgets, UsageStore on) {
    return TokenTracker.builder(budgets).store(on).clock(clock).prices(PRICES).sink(alerts::add).build();
  }

  private TokenUsageEvent call(String model, long input, long output, String team) {
    TokenUsageEvent.Builder b = TokenUsageEvent.builder(model).inputTokens(input).outputTokens(output)
        .timestamp(clock.now());
    return (team == null ? b : b.tag("team", team)).build();
  }

  @Test
  void anEventIsChargedToEveryBudgetItFallsUnderAndPricedOnce() {
    TokenTracker tracker = tracker(List.of(orgMonth, orgDay, search, opus));
    // 10,000 input + 1,000 output of Opus: $0.10 + $0.05 = $0.15
    TrackResult result = tracker.track(call("claude-opus-4-1", 10_000, 1_000, "search"));

    assertThat(result.budgets()).extracting(c -> c.budget().name())
        .containsExactly("org-month", "org-day", "search", "opus");
    assertThat(result.budgets()).extracting(c -> c.usage().used())
        .containsExactly(150_000_000L, 150_000_000L, 150_000_000L, 11_000L);
    assertThat(tracker.budget("opus").getUsage().usedOfLimit()).isEqualTo("11,000 of 20,000 tokens");
    assertThat(tracker.budget("search").getUsage().usedOfLimit()).isEqualTo("$0.15 of $0.40");
    assertThat(tracker.budget("opus").getPeriodCounts().costNanoUsd()).isEqualTo(150_000_000L);
  }

  @Test
  void anEventOfNoBudgetIsStillKeptInTheLedger() {
    TokenTracker tracker = tracker(List.of(search, opus));
    TrackResult result = tracker.track(call("claude-sonnet-4", 1_000, 0, null));

    assertThat(result.budgets()).allSatisfy(c -> assertThat(c.usage().used()).isZero());
    assertThat(tracker.query(UsageQuery.all()).total().totalTokens()).isEqualTo(1_000);
  }

  @Test
  void eachThresholdOfEachBudgetFiresOnceAndTheAlertNamesBudgetAndScope() {
    TokenTracker tracker = tracker(List.of(orgMonth, orgDay, search, opus));
    for (int i = 0; i < 8; i++) {
      tracker.track(call("claude-opus-4-1", 10_000, 1_000, "search")); // $0.15 and 11,000 tokens each
    }
    assertThat(alerts).filteredOn(a -> a.budgetName().equals("org-day")).extracting(Alert::threshold)
        .containsExactly(0.8, 1.0);
    assertThat(alerts).filteredOn(a -> a.budgetName().equals("org-month")).extracting(Alert::threshold)
        .containsExactly(0.5, 0.7, 0.8, 1.0);
    assertThat(alerts).filteredOn(a -> a.budgetName().equals("opus")).extracting(Alert::threshold)
        .containsExactly(0.5, 1.0);
    Alert searchFull = alerts.stream().filter(a -> a.budgetName().equals("search") && a.threshold() == 1.0)
        .findFirst().orElseThrow();
    assertThat(searchFull.unit()).isEqualTo(BudgetUnit.USD);
    assertThat(searchFull.message()).startsWith("Budget 'search' at 112.5% ($0.45 of $0.40, 33,000 tokens, tag team=search,");
    Alert opusHalf = alerts.stream().filter(a -> a.budgetName().equals("opus")).findFirst().orElseThrow();
    assertThat(opusHalf.message()).startsWith("Token budget 'opus' at 55.0% (11,000 of 20,000 tokens, model claude-opus-*,");
  }

  @Test
  void aUsdBudgetSaysWhatItCouldNotPrice() {
    TokenTracker tracker = tracker(List.of(orgDay));
    tracker.track(call("my-llama", 5_000, 0, null));
    TrackResult result = tracker.track(call("claude-opus-4-1", 40_000, 0, null)); // $0.40 of $0.50

    Alert alert = result.alert().orElseThrow();
    assertThat(alert.message()).contains("$0.40 of $0.50", "45,000 tokens", "1 unpriced call with 5,000 tokens not counted");
    assertThat(alert.counts().unpricedCalls()).isOne();
  }

  @Test
  void aBatchRaisesAtMostOneAlertPerBudget() {
    TokenTracker tracker = tracker(List.of(orgMonth, opus));
    BatchResult result = tracker.trackAll(List.of(call("claude-opus-4-1", 50_000, 0, null),
        call("claude-opus-4-1", 50_000, 0, null)));
    assertThat(result.alerts()).extracting(Alert::budgetName, Alert::threshold)
        .containsExactly(org("org-month", 1.0), org("opus", 1.0));
  }

  private static org.assertj.core.groups.Tuple org(String name, double threshold) {
    return org.assertj.core.groups.Tuple.tuple(name, threshold);
  }

  @Test
  void aBudgetAddedLaterStartsFromTheLedger() {
    tracker(List.of(orgMonth)).track(call("claude-opus-4-1", 10_000, 0, "search"));

    TokenTracker later = tracker(List.of(orgMonth, search));
    assertThat(later.budget("search").countedFromLedger()).isTrue();
    assertThat(later.budget("search").getUsage().used()).isEqualTo(100_000_000L);
    later.track(call("claude-sonnet-4", 10_000, 0, "search"));
    assertThat(later.budget("search").countedFromLedger()).isFalse();
    assertThat(later.budget("search").getUsage().used()).isEqualTo(120_000_000L);
  }

  @Test
  void trackersOfDifferentBudgetsOverOneStoreKeepEveryBudgetExact() {
    TokenTracker a = tracker(List.of(orgMonth, opus));
    TokenTracker b = tracker(List.of(search));
    a.track(call("claude-opus-4-1", 1_000, 0, "search"));
    b.track(call("claude-opus-4-1", 2_000, 0, "search"));
    b.track(call("claude-sonnet-4", 4_000, 0, null));

    assertThat(a.budget("opus").getUsage().used()).isEqualTo(3_000);
    assertThat(a.budget("org-month").getPeriodCounts().totalTokens()).isEqualTo(7_000);
    assertThat(b.budget("search").getPeriodCounts().totalTokens()).isEqualTo(3_000);
  }

  @Test
  void aFailingStoreChargesNoBudget() {
    AtomicBoolean fail = new AtomicBoolean();
    InMemoryUsageStore inner = new InMemoryUsageStore();
    UsageStore failing = new ForwardingStore(inner) {
      @Override
      public RecordResult record(List<TokenUsageEvent> events, List<dev.tokenwatch.domain.ledger.BudgetWindow> w) {
        if (fail.get()) {
          throw new IllegalStateException("disk full");
        }
        return super.record(events, w);
      }
    };
    TokenTracker tracker = tracker(List.of(orgMonth, search, opus), failing);
    tracker.track(call("claude-opus-4-1", 1_000, 0, "search"));
    fail.set(true);
    assertThatThrownBy(() -> tracker.track(call("claude-opus-4-1", 1_000, 0, "search"))).hasMessage("disk full");
    assertThat(tracker.budgets()).allSatisfy(b -> assertThat(b.getPeriodCounts().calls()).isOne());
  }

  @Test
  void budgetNamesAreUniqueAndAnUnknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> tracker(List.of(orgMonth, orgMonth.toBuilder().limit(5).build())))
        .hasMessage("budget names must be unique, got 'org-month' twice");
    assertThatThrownBy(() -> tracker(List.of(orgMonth, opus)).budget("nope"))
        .hasMessage("no budget named 'nope'; the budgets are org-month, opus");
    assertThatThrownBy(() -> TokenTracker.builder(List.of())).hasMessage("a tracker needs at least one budget");
  }
}
