package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.port.RecordResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch plan alone, no database: what is inserted, and what each call sees once settled. */
class RecordPlanTest {

  private static final Instant T = Instant.parse("2026-05-01T10:00:00Z");
  private static final BudgetWindow ALL = new BudgetWindow("all", T.minusSeconds(3600), T.plusSeconds(86_400),
      UsageFilter.ANY);
  private static final BudgetWindow OPUS = new BudgetWindow("opus", T.minusSeconds(3600), T.plusSeconds(86_400),
      UsageFilter.models("opus*"));

  private static TokenUsageEvent event(String model, long tokens, String id, long secondsAfter) {
    return TokenUsageEvent.builder(model).inputTokens(tokens).timestamp(T.plusSeconds(secondsAfter)).requestId(id)
        .build();
  }

  private static Counts tokens(long tokens, long calls) {
    return new Counts(tokens, 0, 0, 0, tokens, calls);
  }

  private static RecordPlan.Call call(List<BudgetWindow> windows, TokenUsageEvent... events) {
    return new RecordPlan.Call(List.of(events), windows);
  }

  @Test
  void eventsWithoutIdsAreAllInsertedAndChargeTheWindowsOfTheirScope() {
    TokenUsageEvent a = event("opus-4", 5, null, 1);
    TokenUsageEvent b = event("sonnet-4", 7, null, 2000);
    RecordPlan plan = RecordPlan.of(List.of(call(List.of(ALL, OPUS), a, b)), null);

    assertThat(plan.inserts()).containsExactly(a, b);
    RecordPlan.Settled settled = plan.settle(Map.of());
    assertThat(settled.windowDeltas()).containsExactly(Map.entry(ALL, tokens(12, 2)), Map.entry(OPUS, tokens(5, 1)));
    assertThat(settled.rollupDeltas()).hasSize(2).containsValues(tokens(5, 1), tokens(7, 1));
    assertThat(settled.rollupDeltas().keySet()).extracting(RollupKey::bucket)
        .as("in bucket order").isSorted();
    assertThat(settled.replacements()).isEmpty();
    List<RecordResult> results = settled.results(Map.of(ALL, tokens(112, 12), OPUS, tokens(5, 1)));
    assertThat(results).containsExactly(new RecordResult(2, 0, 0, 0, List.of(tokens(112, 12), tokens(5, 1)),
        List.of(tokens(12, 2), tokens(5, 1))));
  }

  @Test
  void aRequestIdWithinOneBatchIsOneRowAtItsWinningWrite() {
    TokenUsageEvent a5 = event("m", 5, "a", 1);
    TokenUsageEvent b = event("m", 1, "b", 2);
    TokenUsageEvent a8 = event("m", 8, "a", 3);
    TokenUsageEvent a8again = event("m", 8, "a", 4);
    TokenUsageEvent a3 = event("m", 3, "a", 5);
    RecordPlan plan = RecordPlan.of(List.of(call(List.of(ALL), a5, b, a8, a8again, a3)), null);

    assertThat(plan.inserts()).as("the first record of the largest total, after b").containsExactly(b, a8);
    RecordPlan.Settled settled = plan.settle(Map.of());
    assertThat(settled.windowDeltas()).containsExactly(Map.entry(ALL, tokens(9, 2)));
    assertThat(settled.results(Map.of(ALL, tokens(9, 2))))
        .containsExactly(new RecordResult(2, 1, 2, 0, List.of(tokens(9, 2)), List.of(tokens(9, 2))));
  }

  @Test
  void aStoredEventIsReplacedByALargerRecordWithItsDimensions() {
    TokenUsageEvent stored = event("opus-4", 10, "a", 1);
    TokenUsageEvent smaller = event("opus-4", 7, "a", 2);
    TokenUsageEvent larger = event("sonnet-4", 12, "a", 7200).withDimensions("p", null, Map.of());
    RecordPlan plan = RecordPlan.of(List.of(call(List.of(ALL, OPUS), smaller, larger)), null);

    assertThat(plan.inserts()).containsExactly(larger);
    RecordPlan.Settled settled = plan.settle(Map.of("a", stored));
    assertThat(settled.replacements()).containsExactly(Map.entry("a", larger));
    assertThat(settled.windowDeltas()).containsExactly(Map.entry(ALL, tokens(2, 0)),
        Map.entry(OPUS, tokens(-10, -1)));
    Map<RollupKey, Counts> rollup = settled.rollupDeltas();
    assertThat(rollup).containsEntry(RollupKey.of(stored), tokens(-10, -1))
        .containsEntry(RollupKey.of(larger), tokens(12, 1)).hasSize(2);
    assertThat(settled.results(Map.of(ALL, tokens(12, 1), OPUS, Counts.ZERO)))
        .containsExactly(new RecordResult(0, 1, 1, 0, List.of(tokens(12, 1), Counts.ZERO),
            List.of(tokens(2, 0), tokens(-10, -1))));
  }

  @Test
  void aStoredEventThatStaysChangesNothing() {
    TokenUsageEvent stored = event("m", 10, "a", 1);
    RecordPlan plan = RecordPlan.of(List.of(call(List.of(ALL), event("m", 10, "a", 9))), null);
    RecordPlan.Settled settled = plan.settle(Map.of("a", stored));

    assertThat(settled.replacements()).isEmpty();
    assertThat(settled.rollupDeltas()).isEmpty();
    assertThat(settled.results(Map.of(ALL, tokens(10, 1))))
        .containsExactly(new RecordResult(0, 0, 1, 0, List.of(tokens(10, 1)), List.of(Counts.ZERO)));
  }

  @Test
  void eventsBeforeTheRetainedStartAreCountedAndLeftOut() {
    TokenUsageEvent old = event("m", 4, "old", -10);
    TokenUsageEvent kept = event("m", 6, null, 10);
    RecordPlan plan = RecordPlan.of(List.of(call(List.of(ALL), old, kept)), T);

    assertThat(plan.inserts()).containsExactly(kept);
    assertThat(plan.settle(Map.of()).results(Map.of(ALL, tokens(6, 1))))
        .containsExactly(new RecordResult(1, 0, 0, 1, List.of(tokens(6, 1)), List.of(tokens(6, 1))));
  }

  @Test
  void callsOfAGroupSeeTheirWindowsAsIfAloneInOrder() {
    // Call 1 counts a (5) in ALL; call 2 names only OPUS; call 3 replaces a with 9 tokens, in ALL again.
    RecordPlan.Call first = call(List.of(ALL), event("opus-4", 5, "a", 1));
    RecordPlan.Call second = call(List.of(OPUS), event("opus-4", 2, null, 2));
    RecordPlan.Call third = call(List.of(ALL, OPUS), event("opus-4", 9, "a", 3));
    RecordPlan plan = RecordPlan.of(List.of(first, second, third), null);

    assertThat(plan.inserts()).extracting(TokenUsageEvent::totalTokens).containsExactly(2L, 9L);
    RecordPlan.Settled settled = plan.settle(Map.of());
    // Every call charges every window of the group: alone and in this order, call 1 would leave a in
    // the ledger, from which OPUS (first named by call 2) would start; ALL, kept from call 1 on, would be
    // charged by call 2 without naming it. ALL and OPUS: +5 (call 1), +2 (call 2), +4 (call 3 replaces a).
    assertThat(settled.windowDeltas()).containsEntry(ALL, tokens(11, 2)).containsEntry(OPUS, tokens(11, 2));
    List<RecordResult> results = settled.results(Map.of(ALL, tokens(111, 12), OPUS, tokens(11, 2)));
    assertThat(results.get(0)).isEqualTo(new RecordResult(1, 0, 0, 0, List.of(tokens(105, 11)),
        List.of(tokens(5, 1))));
    assertThat(results.get(1)).isEqualTo(new RecordResult(1, 0, 0, 0, List.of(tokens(7, 2)),
        List.of(tokens(2, 1))));
    assertThat(results.get(2)).isEqualTo(new RecordResult(0, 1, 0, 0, List.of(tokens(111, 12), tokens(11, 2)),
        List.of(tokens(4, 0), tokens(4, 0))));
  }

  @Test
  void keptWindowsNoCallNamesAreChargedAndLoseReplacedRecords() {
    // OPUS is kept by the store (another process's budget); the call names only ALL.
    TokenUsageEvent stored = event("opus-4", 5, "a", 1);
    RecordPlan plan = RecordPlan.of(List.of(call(List.of(ALL), event("sonnet-4", 8, "a", 2),
        event("opus-4", 3, null, 3))), null);
    RecordPlan.Settled settled = plan.settle(Map.of("a", stored), List.of(OPUS));

    // a moves from opus (in OPUS) to sonnet (not in OPUS): OPUS -5 +3; ALL +3 +3.
    assertThat(settled.windowDeltas()).containsEntry(ALL, tokens(6, 1)).containsEntry(OPUS, tokens(-2, 0));
    assertThat(settled.results(Map.of(ALL, tokens(16, 2))))
        .containsExactly(new RecordResult(1, 1, 0, 0, List.of(tokens(16, 2)), List.of(tokens(6, 1))));
  }
}
