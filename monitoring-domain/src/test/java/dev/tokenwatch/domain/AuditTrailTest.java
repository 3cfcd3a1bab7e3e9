package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.AuditRecord;
import dev.tokenwatch.domain.testing.CapturedLog;
import dev.tokenwatch.domain.testing.MutableClock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

class AuditTrailTest {

  private final MutableClock clock = MutableClock.at("2026-11-30T22:00:00Z");
  private final List<AuditRecord> records = new ArrayList<>();

  private TokenTracker tracker(TokenBudget budget) {
    return TokenTracker.builder(budget).store(new InMemoryUsageStore()).clock(clock).auditTrail(records::add).build();
  }

  @Test
  void recordsEveryEventAlertPeriodRollAndResetInOrder() {
    TokenBudget budget = TokenBudget.builder().name("team").limit(100).period(BudgetPeriod.MONTHLY)
        .zone(ZoneId.of("Europe/Berlin")).build();
    TokenTracker tracker = tracker(budget);
    TokenUsageEvent first = TokenUsageEvent.builder("gpt-4o").inputTokens(75).timestamp(clock.now()).requestId("r1").build();
    tracker.track(first);
    tracker.track(first);
    clock.set(Instant.parse("2026-11-30T23:00:01Z")); // 00:00:01 in Berlin: December
    tracker.track(TokenUsageEvent.builder("gpt-4o").inputTokens(10).timestamp(clock.now()).build());
    tracker.reset();

    assertThat(records).extracting(r -> r.getClass().getSimpleName())
        .containsExactly("Tracked", "AlertRaised", "Tracked", "PeriodRolled", "Tracked", "Reset");
    assertThat(((AuditRecord.AlertRaised) records.get(1)).budget()).isEqualTo("team");
    assertThat(((AuditRecord.PeriodRolled) records.get(3)).budget()).isEqualTo("team");
    assertThat(((AuditRecord.Reset) records.get(5)).budget()).isEqualTo("team");
    AuditRecord.Tracked tracked = (AuditRecord.Tracked) records.get(0);
    assertThat(tracked.time()).isEqualTo(Instant.parse("2026-11-30T22:00:00Z"));
    assertThat(tracked.event().withCost(TokenUsageEvent.NO_COST)).isEqualTo(first);
    assertThat(tracked.event().hasCost()).isTrue();
    assertThat(tracked.outcome()).isEqualTo(TrackOutcome.RECORDED);
    assertThat(tracked.budgets()).containsOnlyKeys("team");
    assertThat(tracked.budgets().get("team").used()).isEqualTo(75);
    assertThat(((AuditRecord.AlertRaised) records.get(1)).alert().threshold()).isEqualTo(0.7);
    assertThat(((AuditRecord.Tracked) records.get(2)).outcome()).isEqualTo(TrackOutcome.DUPLICATE);

    OffsetDateTime december = OffsetDateTime.parse("2026-12-01T00:00:00+01:00");
    AuditRecord.PeriodRolled rolled = (AuditRecord.PeriodRolled) records.get(3);
    assertThat(rolled.previousEnd()).isEqualTo(december);
    assertThat(rolled.periodStart()).isEqualTo(december);
    assertThat(rolled.periodEnd()).isEqualTo(OffsetDateTime.parse("2027-01-01T00:00:00+01:00"));
    assertThat(((AuditRecord.Tracked) records.get(4)).budgets().get("team").used()).isEqualTo(10);
    AuditRecord.Reset reset = (AuditRecord.Reset) records.get(5);
    assertThat(reset.periodStart()).isEqualTo(december);
    assertThat(reset.time()).isEqualTo(clock.now());
  }

  @Test
  void aBatchIsOneRecordWithTheCountsOfItsOutcomes() {
    TokenTracker tracker = tracker(TokenBudget.of(1_000, BudgetPeriod.MONTHLY));
    tracker.track(TokenUsageEvent.builder("a").inputTokens(5).timestamp(clock.now()).requestId("old").build());
    records.clear();
    List<TokenUsageEvent> batch = List.of(
        TokenUsageEvent.builder("a").inputTokens(1).timestamp(clock.now()).requestId("x").build(),
        TokenUsageEvent.builder("b").inputTokens(2).timestamp(clock.now()).requestId("x").build(),
        TokenUsageEvent.builder("c").inputTokens(3).timestamp(clock.now()).requestId("old").build());
    tracker.trackAll(batch);

    assertThat(records).singleElement().isInstanceOfSatisfying(AuditRecord.BatchTracked.class, b -> {
      assertThat(b.events()).extracting(e -> e.withCost(TokenUsageEvent.NO_COST)).isEqualTo(batch);
      assertThat(b.recorded()).isEqualTo(1);
      assertThat(b.replaced()).isEqualTo(1);
      assertThat(b.duplicates()).isEqualTo(1);
      assertThat(b.budgets().get("default").used()).isEqualTo(7);
    });
  }

  @Test
  void aFailingTrailIsLoggedAndTrackingGoesOn() {
    TokenTracker tracker = TokenTracker.builder(TokenBudget.of(100, BudgetPeriod.MONTHLY))
        .store(new InMemoryUsageStore()).clock(clock)
        .auditTrail(record -> {
          throw new IllegalStateException("disk full");
        })
        .build();
    try (CapturedLog log = CapturedLog.attachTo(GuardedAuditTrail.class.getName())) {
      TrackResult result = tracker.track(TokenUsageEvent.builder("m").inputTokens(80).timestamp(clock.now()).build());

      assertThat(result.usage().used()).isEqualTo(80);
      assertThat(result.alert()).isPresent(); // the alert's record failed too; the alert still came
      assertThat(log.entries()).hasSize(2).allSatisfy(entry -> {
        assertThat(entry.level()).isEqualTo(Level.ERROR);
        assertThat(entry.message()).contains("disk full", "made at");
      });
      assertThat(log.entries().get(0).message()).contains("Tracked");
    }
  }
}
