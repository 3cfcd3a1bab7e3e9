package dev.tokenwatch.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.port.RecordResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of cost and of several budget windows: each event's cost is kept with it and summed
 * exactly beside the unpriced calls; one record charges every window that charges an event, the
 * named ones and those the store keeps already (a store shared by differently configured processes),
 * atomically; a replacement leaves every kept window that counted it.
 */
public abstract class CostAndWindowsContract extends LedgerQueryContract {

  /** January, Claude Opus models only. */
  protected static final BudgetWindow OPUS_JAN =
      new BudgetWindow("opus", JAN, FEB, UsageFilter.models("claude-opus-*"));
  /** January, tag team=search only. */
  protected static final BudgetWindow SEARCH_JAN =
      new BudgetWindow("search", JAN, FEB, UsageFilter.ANY.withTag("team", "search"));
  /** January, project checkout only. */
  protected static final BudgetWindow CHECKOUT_JAN =
      new BudgetWindow("checkout", JAN, FEB, UsageFilter.ANY.withProject("checkout"));
  /** The first day of January, every event. */
  protected static final BudgetWindow DAY_JAN1 =
      new BudgetWindow("day", JAN, JAN.plusSeconds(86_400), UsageFilter.ANY);

  private static TokenUsageEvent priced(String model, long input, long output, long nanoUsd, String requestId) {
    return event(model, input, output, JAN.plusSeconds(60), requestId).withCost(nanoUsd);
  }

  private Counts ledger(BudgetWindow window) {
    return store.query(window.query()).total();
  }

  @Test
  void eachEventsCostIsKeptAndSummedExactlyBesideTheUnpricedCalls() throws Exception {
    record(JAN_WINDOW, priced("a", 10, 5, 1_234_567, "r1"), priced("b", 1, 1, 0, "r2"),
        event("unknown", 7, 3, JAN.plusSeconds(90), "r3"));

    Counts expected = new Counts(18, 9, 0, 0, 27, 3, 1_234_567, 1, 10);
    assertThat(store.windowTotals(JAN_WINDOW)).isEqualTo(expected);
    assertThat(ledger(JAN_WINDOW)).isEqualTo(expected);
    assertThat(store.history(UsageFilter.ANY, 10)).extracting(TokenUsageEvent::costNanoUsd)
        .containsExactly(1_234_567L, 0L, TokenUsageEvent.NO_COST);

    store = reopen(store);
    assertThat(store.windowTotals(JAN_WINDOW)).isEqualTo(expected);
    assertThat(ledger(JAN_WINDOW)).isEqualTo(expected);
    assertThat(store.history(UsageFilter.ANY, 10)).extracting(TokenUsageEvent::costNanoUsd)
        .containsExactly(1_234_567L, 0L, TokenUsageEvent.NO_COST);
  }

  @Test
  void costsOfAnOrganisationsYearsSumWithoutOverflow() {
    long fourHundredMillionUsd = 400_000_000L * Counts.NANOS_PER_USD;
    record(JAN_WINDOW, priced("a", 1, 0, fourHundredMillionUsd, "big1"), priced("a", 1, 0, fourHundredMillionUsd, "big2"));
    assertThat(store.windowTotals(JAN_WINDOW).costNanoUsd()).isEqualTo(2 * fourHundredMillionUsd);
    assertThat(ledger(JAN_WINDOW).costNanoUsd()).isEqualTo(2 * fourHundredMillionUsd);
  }

  @Test
  void aReplacementTakesItsCostOrItsLackOfOne() {
    record(JAN_WINDOW, priced("a", 10, 0, 100, "r"));
    RecordResult larger = record(JAN_WINDOW, priced("a", 20, 0, 250, "r"));
    assertThat(larger.windowDeltas().get(0).costNanoUsd()).isEqualTo(150);
    assertThat(store.windowTotals(JAN_WINDOW)).isEqualTo(new Counts(20, 0, 0, 0, 20, 1, 250, 0, 0));

    record(JAN_WINDOW, event("a", 30, 0, JAN.plusSeconds(60), "r"));
    Counts unpriced = new Counts(30, 0, 0, 0, 30, 1, 0, 1, 30);
    assertThat(store.windowTotals(JAN_WINDOW)).isEqualTo(unpriced);
    assertThat(ledger(JAN_WINDOW)).isEqualTo(unpriced);
  }

  @Test
  void oneRecordChargesEveryNamedWindowItsEventsFallIn() {
    TokenUsageEvent opusSearch = event("claude-opus-4-1", 100, 10, JAN.plusSeconds(3_600), "o1")
        .withDimensions("checkout", null, java.util.Map.of("team", "search")).withCost(5_000);
    TokenUsageEvent sonnet = event("claude-sonnet-4", 50, 5, JAN.plusSeconds(90_000), "s1").withCost(700);
    List<BudgetWindow> windows = List.of(JAN_WINDOW, OPUS_JAN, SEARCH_JAN, CHECKOUT_JAN, DAY_JAN1);

    RecordResult result = store.record(List.of(opusSearch, sonnet), windows);

    Counts both = new Counts(150, 15, 0, 0, 165, 2, 5_700, 0, 0);
    Counts opusOnly = new Counts(100, 10, 0, 0, 110, 1, 5_000, 0, 0);
    assertThat(result.windowTotals()).containsExactly(both, opusOnly, opusOnly, opusOnly, opusOnly);
    assertThat(result.windowDeltas()).containsExactly(both, opusOnly, opusOnly, opusOnly, opusOnly);
    for (BudgetWindow window : windows) {
      assertThat(store.keepsWindow(window)).as(window.toString()).isTrue();
      assertThat(store.windowTotals(window)).as(window.toString()).isEqualTo(ledger(window));
    }
  }

  @Test
  void aKeptWindowIsChargedByRecordsThatDoNotNameIt() throws Exception {
    assertThat(store.keepsWindow(OPUS_JAN)).isFalse();
    record(OPUS_JAN, event("claude-opus-4-1", 10, 0, JAN.plusSeconds(60), "o1"));
    assertThat(store.keepsWindow(OPUS_JAN)).isTrue();
    store = reopen(store);

    // another process tracks only the search budget: the kept opus window must follow all the same
    record(SEARCH_JAN, event("claude-opus-4-1", 5, 0, JAN.plusSeconds(120), "o2"),
        event("claude-sonnet-4", 7, 0, JAN.plusSeconds(180), "s1"));
    record(event("claude-opus-4-1", 3, 0, JAN.plusSeconds(240), "o3"), event("claude-opus-4-1", 4, 0, FEB, "feb"));

    assertThat(store.windowTotals(OPUS_JAN).totalTokens()).isEqualTo(18);
    assertThat(store.windowTotals(OPUS_JAN)).isEqualTo(ledger(OPUS_JAN));
    store = reopen(store);
    assertThat(store.windowTotals(OPUS_JAN).totalTokens()).isEqualTo(18);
  }

  @Test
  void aReplacementLeavesEveryKeptWindowThatCountedIt() {
    record(OPUS_JAN, event("claude-opus-4-1", 10, 0, JAN.plusSeconds(60), "r"));
    record(SEARCH_JAN, event("x", 1, 0, JAN.plusSeconds(61), "other"));

    // the larger record of "r" is no longer an Opus call, and is named by the search budget only
    TokenUsageEvent moved = event("claude-sonnet-4", 20, 0, JAN.plusSeconds(62), "r")
        .withDimensions(null, null, java.util.Map.of("team", "search"));
    record(SEARCH_JAN, moved);

    assertThat(store.windowTotals(OPUS_JAN).totalTokens()).isZero();
    assertThat(store.windowTotals(OPUS_JAN)).isEqualTo(ledger(OPUS_JAN));
    assertThat(store.windowTotals(SEARCH_JAN).totalTokens()).isEqualTo(20);
  }

  @Test
  void concurrentRecordsOverOverlappingWindowsGiveExactTotals() throws Exception {
    List<BudgetWindow> windows = List.of(JAN_WINDOW, OPUS_JAN, SEARCH_JAN);
    store.record(List.of(), windows);
    int threads = 8;
    int perThread = 40;
    runConcurrently(threads, worker -> {
      // each thread names one window only: the others must be charged as kept windows
      BudgetWindow named = windows.get(worker % windows.size());
      for (int i = 0; i < perThread; i++) {
        String model = i % 2 == 0 ? "claude-opus-4-1" : "claude-sonnet-4";
        TokenUsageEvent e = event(model, 1 + worker, 0, JAN.plusSeconds(60 + i), worker + "-" + i).withCost(10);
        if (i % 3 == 0) {
          e = e.withDimensions(null, null, java.util.Map.of("team", "search"));
        }
        store.record(List.of(e), List.of(named));
      }
      return null;
    });
    long all = 0;
    long opus = 0;
    long search = 0;
    for (int worker = 0; worker < threads; worker++) {
      for (int i = 0; i < perThread; i++) {
        all += 1 + worker;
        opus += i % 2 == 0 ? 1 + worker : 0;
        search += i % 3 == 0 ? 1 + worker : 0;
      }
    }
    assertThat(store.windowTotals(JAN_WINDOW).totalTokens()).isEqualTo(all);
    assertThat(store.windowTotals(JAN_WINDOW).costNanoUsd()).isEqualTo(10L * threads * perThread);
    assertThat(store.windowTotals(OPUS_JAN).totalTokens()).isEqualTo(opus);
    assertThat(store.windowTotals(SEARCH_JAN).totalTokens()).isEqualTo(search);
    List<Counts> ledger = new ArrayList<>();
    windows.forEach(w -> ledger.add(ledger(w)));
    assertThat(windows.stream().map(store::windowTotals).toList()).isEqualTo(ledger);
  }

  @Test
  void claimingInAWindowDoesNotKeepItsTotals() {
    BudgetWindow claimsOnly = new BudgetWindow("forecast:opus", JAN, FEB, UsageFilter.models("claude-opus-*"));
    assertThat(store.claimThreshold(claimsOnly, 1.0)).isTrue();
    record(JAN_WINDOW, event("claude-opus-4-1", 10, 0, JAN.plusSeconds(60), "o1"));
    assertThat(store.keepsWindow(claimsOnly)).isFalse();
    assertThat(store.claimedThresholds(claimsOnly)).containsExactly(1.0);
    assertThat(store.windowTotals(claimsOnly).totalTokens()).isEqualTo(10);
  }

  @Test
  void aWindowNamedWithNoEventsIsKeptFromTheLedgersFigure() {
    record(event("claude-opus-4-1", 10, 0, JAN.plusSeconds(60), "o1").withCost(42));
    RecordResult result = store.record(List.of(), List.of(OPUS_JAN));
    assertThat(result.windowTotals()).containsExactly(new Counts(10, 0, 0, 0, 10, 1, 42, 0, 0));
    assertThat(store.keepsWindow(OPUS_JAN)).isTrue();
  }
}
