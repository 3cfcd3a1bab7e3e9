package dev.tokenwatch.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.TimeGrain;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.ledger.UsageRow;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link UsageStore} must show: recording, de-duplication and replacement,
 * budget windows, threshold claims, resets, retention, durability across a reopen and concurrency;
 * with the query contract inherited from {@link LedgerQueryContract}. A store adapter extends this
 * class and implements {@link #createStore()}; durable stores also override {@link
 * #reopen(UsageStore)}. Published in the domain's test-jar.
 */
public abstract class UsageStoreContract extends AlertOutboxContract {

  private static Counts tokens(long input, long output) {
    return new Counts(input, output, 0, 0, input + output, 1);
  }

  private static RecordResult result(int recorded, int replaced, int duplicates, Counts total, Counts delta) {
    return new RecordResult(recorded, replaced, duplicates, 0, List.of(total), List.of(delta));
  }

  private long used(BudgetWindow window) {
    return store.windowTotals(window).totalTokens();
  }

  @Test
  void recordAddsToTheLedgerAndTheWindow() {
    RecordResult first = record(JAN_WINDOW, event("gpt-4o", 100, 50, JAN.plusSeconds(1), null));
    RecordResult second = record(JAN_WINDOW, event("gpt-4o", 10, 5, JAN.plusSeconds(2), null));

    assertThat(first).isEqualTo(result(1, 0, 0, tokens(100, 50), tokens(100, 50)));
    assertThat(second).isEqualTo(result(1, 0, 0, new Counts(110, 55, 0, 0, 165, 2), tokens(10, 5)));
    assertThat(store.windowTotals(JAN_WINDOW)).isEqualTo(new Counts(110, 55, 0, 0, 165, 2));
    assertThat(store.query(UsageQuery.all()).total()).isEqualTo(new Counts(110, 55, 0, 0, 165, 2));
  }

  @Test
  void eventsOutsideAWindowGoToTheLedgerOnly() {
    RecordResult result = record(FEB_WINDOW, event("m", 100, 0, JAN.plusSeconds(1), null),
        event("m", 7, 0, FEB.plusSeconds(1), null));

    assertThat(result).isEqualTo(result(2, 0, 0, tokens(7, 0), tokens(7, 0)));
    assertThat(used(JAN_WINDOW)).as("January from the ledger").isEqualTo(100);
    assertThat(store.query(UsageQuery.all().per(TimeGrain.MONTH, ZoneOffset.UTC)).rows()).extracting(UsageRow::start)
        .containsExactly(JAN, FEB);
  }

  @Test
  void aWindowNotSeenBeforeStartsFromTheLedger() {
    List<TokenUsageEvent> november = new ArrayList<>();
    Instant nov = Instant.parse("2026-11-01T00:00:00Z");
    for (int day = 0; day < 30; day++) {
      november.add(event("m", 1000 + day, 0, nov.plus(Duration.ofDays(day)).plusSeconds(3600), "nov-" + day));
    }
    BudgetWindow monthly = new BudgetWindow(BUDGET, nov, Instant.parse("2026-12-01T00:00:00Z"), UsageFilter.ANY);
    store.record(november, List.of(monthly));
    assertThat(used(monthly)).isEqualTo(30 * 1000 + 435);

    // the budget is switched to daily: the 15th is computed from the ledger, never the month's figure
    Instant day15 = nov.plus(Duration.ofDays(14));
    BudgetWindow daily = new BudgetWindow(BUDGET, day15, day15.plus(Duration.ofDays(1)), UsageFilter.ANY);
    assertThat(used(daily)).isEqualTo(1014);
    RecordResult later = record(daily, event("m", 6, 0, day15.plusSeconds(7200), null));
    assertThat(later.windowTotals()).containsExactly(new Counts(1020, 0, 0, 0, 1020, 2));
    assertThat(later.windowDeltas()).containsExactly(tokens(6, 0));
    assertThat(store.query(UsageQuery.all().between(nov, null).per(TimeGrain.DAY, ZoneOffset.UTC)).rows())
        .hasSize(30).allSatisfy(r -> assertThat(r.counts().totalTokens()).isBetween(1000L, 1030L));
  }

  @Test
  void eachWindowCountsWhatItsScopeCharges() {
    BudgetWindow all = JAN_WINDOW;
    BudgetWindow opus = new BudgetWindow("opus", JAN, FEB, UsageFilter.models("claude-opus-*"));
    BudgetWindow search = new BudgetWindow("search", JAN, FEB, UsageFilter.ANY.withTag("team", "search"));
    RecordResult result = store.record(List.of(
        TokenUsageEvent.builder("claude-opus-4").inputTokens(10).timestamp(JAN).tag("team", "search").build(),
        TokenUsageEvent.builder("claude-opus-4").inputTokens(20).timestamp(JAN).build(),
        TokenUsageEvent.builder("gpt-4o").inputTokens(40).timestamp(JAN).tag("team", "search").build()),
        List.of(all, opus, search));

    assertThat(result.windowTotals()).extracting(Counts::totalTokens).containsExactly(70L, 30L, 50L);
    assertThat(used(opus)).isEqualTo(30);
    assertThat(used(search)).isEqualTo(50);
    assertThat(used(new BudgetWindow("search", JAN, FEB, UsageFilter.ANY.withTag("team", "ads")))).isZero();
  }

  @Test
  void aRequestIdIsCountedOnceAcrossBatchesAndWithinOne() {
    RecordResult first = record(JAN_WINDOW, event("m", 100, 0, JAN.plusSeconds(1), "req-1"),
        event("m", 100, 0, JAN.plusSeconds(1), "req-1"));
    RecordResult again = record(FEB_WINDOW, event("m", 100, 0, FEB.plusSeconds(1), "req-1"));

    assertThat(first).isEqualTo(result(1, 0, 1, tokens(100, 0), tokens(100, 0)));
    assertThat(again).isEqualTo(result(0, 0, 1, Counts.ZERO, Counts.ZERO));
    assertThat(store.query(UsageQuery.all()).total().calls()).isEqualTo(1);
  }

  @Test
  void aLargerRecordReplacesTheCountedOneWithItsDimensions() {
    record(JAN_WINDOW, TokenUsageEvent.builder("a").inputTokens(100).timestamp(JAN.plusSeconds(1)).requestId("r")
        .project("p1").tag("team", "x").build());
    TokenUsageEvent larger = TokenUsageEvent.builder("b").inputTokens(150).outputTokens(10).timestamp(FEB.plusSeconds(1))
        .requestId("r").project("p2").session("s").build();
    RecordResult replaced = record(JAN_WINDOW, larger);
    RecordResult smaller = record(JAN_WINDOW, event("a", 120, 0, JAN.plusSeconds(1), "r"));

    assertThat(replaced).as("it moved out of January")
        .isEqualTo(result(0, 1, 0, Counts.ZERO, new Counts(-100, 0, 0, 0, -100, -1)));
    assertThat(smaller.duplicates()).isEqualTo(1);
    assertThat(store.query(UsageQuery.all().per(TimeGrain.MONTH, ZoneOffset.UTC)
        .groupBy(Dimension.MODEL, Dimension.PROJECT, Dimension.tag("team"))).rows())
        .containsExactly(new UsageRow(FEB, java.util.Arrays.asList("b", "p2", null), new Counts(150, 10, 0, 0, 160, 1)));
    assertThat(store.history(UsageFilter.ANY, 10)).containsExactly(larger);
    assertThat(used(FEB_WINDOW)).isEqualTo(160);
  }

  @Test
  void requestIdsAreComparedExactly() {
    String longId = "x".repeat(TokenUsageEvent.MAX_REQUEST_ID_LENGTH - 1);
    RecordResult result = record(event("m", 1, 0, JAN, longId + "a"), event("m", 1, 0, JAN, longId + "b"),
        event("m", 1, 0, JAN, "Req"), event("m", 1, 0, JAN, "req"), event("m", 1, 0, JAN, "req "),
        event("m", 1, 0, JAN, "é"), event("m", 1, 0, JAN, "e\u0301"));
    assertThat(result.recorded()).isEqualTo(7);
    assertThat(record(event("m", 1, 0, JAN, longId + "b")).duplicates()).isEqualTo(1);
  }

  @Test
  void historyIsTheLatestByTimestampOldestFirst() {
    for (int i = 0; i < 10; i++) {
      // written newest first: the order of writing must not decide
      record(TokenUsageEvent.builder("m").inputTokens(i).timestamp(JAN.plusSeconds(100 - i)).requestId("r" + i)
          .project(i % 2 == 0 ? "even" : "odd").build());
    }
    assertThat(store.history(UsageFilter.ANY, 3)).extracting(TokenUsageEvent::requestId)
        .containsExactly("r2", "r1", "r0");
    assertThat(store.history(UsageFilter.ANY.withProject("odd"), 2)).extracting(TokenUsageEvent::requestId)
        .containsExactly("r3", "r1");
    assertThat(store.history(UsageFilter.ANY, 100)).hasSize(10);
  }

  @Test
  void aThresholdIsClaimedOnceAndClaimsNeverStepDown() {
    assertThat(store.claimThreshold(JAN_WINDOW, 0.5)).isTrue();
    assertThat(store.claimThreshold(JAN_WINDOW, 0.5)).isFalse();
    assertThat(store.claimThreshold(JAN_WINDOW, 0.8)).isTrue();
    assertThat(store.claimThreshold(JAN_WINDOW, 0.7)).as("below the highest claim").isFalse();
    assertThat(store.claimedThresholds(JAN_WINDOW)).containsExactly(0.5, 0.8);
    assertThat(store.claimedThresholds(FEB_WINDOW)).isEmpty();
    BudgetWindow otherScope = new BudgetWindow(BUDGET, JAN, FEB, UsageFilter.models("x"));
    assertThat(store.claimThreshold(otherScope, 0.5)).as("another scope is another window").isTrue();
  }

  @Test
  void concurrentClaimsHaveExactlyOneWinnerPerThreshold() throws Exception {
    double[] thresholds = {0.5, 0.7, 0.8, 1.0};
    AtomicInteger[] wins = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
    runConcurrently(8, worker -> {
      for (int t = 0; t < thresholds.length; t++) {
        if (store.claimThreshold(JAN_WINDOW, thresholds[t])) {
          wins[t].incrementAndGet();
        }
      }
      return null;
    });
    for (int t = 0; t < thresholds.length; t++) {
      assertThat(wins[t].get()).as("winners of %s", thresholds[t]).isLessThanOrEqualTo(1);
    }
    assertThat(wins[3].get()).isEqualTo(1);
    assertThat(store.claimedThresholds(JAN_WINDOW)).contains(1.0);
  }

  @Test
  void concurrentRecordsGiveExactTotals() throws Exception {
    runConcurrently(8, worker -> {
      for (int i = 0; i < 200; i++) {
        // every worker records ids 0..99 once each (shared) and 100 events of its own
        String id = i < 100 ? "shared-" + i : null;
        store.record(List.of(event("m" + (i % 3), 10, 1, JAN.plusSeconds(i), id)), List.of(JAN_WINDOW));
      }
      return null;
    });
    assertThat(store.windowTotals(JAN_WINDOW)).isEqualTo(new Counts(9000, 900, 0, 0, 9900, 900));
    assertThat(store.query(UsageQuery.all()).total()).isEqualTo(new Counts(9000, 900, 0, 0, 9900, 900));
  }

  @Test
  void resetForgetsTheWindowsEventsClaimsAndOverlappingTotals() {
    BudgetWindow day = new BudgetWindow("daily", JAN.plus(Duration.ofDays(2)), JAN.plus(Duration.ofDays(3)),
        UsageFilter.ANY);
    store.record(List.of(event("m", 100, 0, JAN.plus(Duration.ofDays(2)), "jan"), event("m", 5, 0, FEB, "feb"),
        TokenUsageEvent.builder("x").inputTokens(1).timestamp(JAN).build()), List.of(JAN_WINDOW, day));
    store.claimThreshold(JAN_WINDOW, 0.5);
    store.claimThreshold(FEB_WINDOW, 0.5);

    store.resetWindow(new BudgetWindow(BUDGET, JAN, FEB, UsageFilter.models("m")));

    assertThat(used(day)).as("a kept window inside the reset period is derived again").isZero();
    assertThat(used(JAN_WINDOW)).isEqualTo(1);
    assertThat(store.claimedThresholds(JAN_WINDOW)).as("claims of another window (scope) stay").containsExactly(0.5);
    assertThat(store.claimedThresholds(FEB_WINDOW)).containsExactly(0.5);
    assertThat(store.query(UsageQuery.all()).total().totalTokens()).isEqualTo(6);
    assertThat(record(event("m", 100, 0, JAN.plus(Duration.ofDays(2)), "jan")).recorded())
        .as("ids of the reset period count again").isEqualTo(1);
    assertThat(record(event("m", 5, 0, FEB, "feb")).duplicates()).isEqualTo(1);

    store.resetWindow(JAN_WINDOW);
    assertThat(store.claimedThresholds(JAN_WINDOW)).isEmpty();
  }

  @Test
  void retentionDropsOlderEventsAndSaysWhereTheLedgerBegins() throws Exception {
    record(JAN_WINDOW, event("m", 1, 0, JAN, "old"), event("m", 10, 0, JAN.plus(Duration.ofDays(20)), null));
    record(event("m", 100, 0, FEB, "new"));
    Instant cutoff = JAN.plus(Duration.ofDays(10));

    store.dropBefore(cutoff);
    store = reopen(store);

    assertThat(store.retainedFrom()).isEqualTo(cutoff);
    var everything = store.query(UsageQuery.all());
    assertThat(everything.total().totalTokens()).isEqualTo(110);
    assertThat(everything.reachesBeforeRetained()).isTrue();
    assertThat(everything.retainedFrom()).isEqualTo(cutoff);
    assertThat(store.query(UsageQuery.all().between(cutoff, null)).reachesBeforeRetained()).isFalse();
    assertThat(store.history(UsageFilter.ANY, 10)).hasSize(2);
    RecordResult late = record(event("m", 1000, 0, JAN.plusSeconds(5), "late"));
    assertThat(late.beforeRetention()).isEqualTo(1);
    assertThat(late.recorded()).isZero();
    store.dropBefore(JAN);
    assertThat(store.retainedFrom()).as("a cutoff never moves back").isEqualTo(cutoff);
    assertThat(store.query(UsageQuery.all()).total().totalTokens()).isEqualTo(110);
  }

  @Test
  void everythingSurvivesAReopen() throws Exception {
    store.record(List.of(
        TokenUsageEvent.builder("m").inputTokens(100).outputTokens(1).timestamp(JAN.plusSeconds(1)).requestId("a")
            .project("p").session("s").tag("team", "t").build(),
        event("m", 200, 2, FEB.plusSeconds(1), "b"),
        event("n", 300, 3, FEB.plusSeconds(2), null)), List.of(FEB_WINDOW));
    store.claimThreshold(FEB_WINDOW, 0.7);
    record(FEB_WINDOW, event("m", 200, 9, FEB.plusSeconds(3), "b"));

    store = reopen(store);

    assertThat(store.windowTotals(FEB_WINDOW)).isEqualTo(new Counts(500, 12, 0, 0, 512, 2));
    assertThat(store.query(UsageQuery.all().per(TimeGrain.MONTH, ZoneOffset.UTC).groupBy(Dimension.MODEL)).rows())
        .containsExactly(new UsageRow(JAN, List.of("m"), tokens(100, 1)),
            new UsageRow(FEB, List.of("n"), tokens(300, 3)), new UsageRow(FEB, List.of("m"), tokens(200, 9)));
    assertThat(store.query(UsageQuery.all().filter(UsageFilter.ANY.withTag("team", "t").withProject("p")
        .withSession("s"))).total().totalTokens()).isEqualTo(101);
    assertThat(store.claimedThresholds(FEB_WINDOW)).containsExactly(0.7);
    assertThat(store.claimThreshold(FEB_WINDOW, 0.7)).isFalse();
    assertThat(store.history(UsageFilter.ANY, 10)).extracting(TokenUsageEvent::totalTokens)
        .containsExactly(101L, 303L, 209L);
    assertThat(record(event("m", 100, 1, JAN.plusSeconds(1), "a")).duplicates()).isEqualTo(1);
    assertThat(record(FEB_WINDOW, event("m", 200, 9, FEB.plusSeconds(3), "b")).duplicates()).isEqualTo(1);
  }

  @Test
  void aLargeBatchIsAppliedWhole() {
    List<TokenUsageEvent> batch = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      batch.add(event("model-" + (i % 7), 10, 1, JAN.plusSeconds(i), "id-" + i));
    }
    RecordResult result = store.record(batch, List.of(JAN_WINDOW));
    assertThat(result.recorded()).isEqualTo(5_000);
    assertThat(result.windowTotals()).containsExactly(new Counts(50_000, 5_000, 0, 0, 55_000, 5_000));
    assertThat(store.query(UsageQuery.all().groupBy(Dimension.MODEL)).rows()).hasSize(7);
  }
}
