package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class BudgetPeriodTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId UTC = ZoneId.of("UTC");

  @Test
  void dailyStartsAtLocalMidnight() {
    PeriodWindow w = BudgetPeriod.DAILY.windowOf(Instant.parse("2026-06-10T22:30:00Z"), BERLIN);
    assertThat(w.start()).isEqualTo(ZonedDateTime.of(2026, 6, 11, 0, 0, 0, 0, BERLIN));
    assertThat(w.end()).isEqualTo(ZonedDateTime.of(2026, 6, 12, 0, 0, 0, 0, BERLIN));
  }

  @Test
  void daylightSavingDaysHaveTheirTrueLength() {
    PeriodWindow spring = BudgetPeriod.DAILY.windowOf(Instant.parse("2026-03-29T12:00:00Z"), BERLIN);
    PeriodWindow autumn = BudgetPeriod.DAILY.windowOf(Instant.parse("2026-10-25T12:00:00Z"), BERLIN);
    assertThat(Duration.between(spring.startInstant(), spring.endInstant())).isEqualTo(Duration.ofHours(23));
    assertThat(Duration.between(autumn.startInstant(), autumn.endInstant())).isEqualTo(Duration.ofHours(25));
  }

  @Test
  void weekStartsOnMonday() {
    PeriodWindow w = BudgetPeriod.WEEKLY.windowOf(Instant.parse("2026-11-29T23:59:59Z"), UTC); // a Sunday
    assertThat(w.start()).isEqualTo(ZonedDateTime.of(2026, 11, 23, 0, 0, 0, 0, UTC));
    assertThat(w.end()).isEqualTo(ZonedDateTime.of(2026, 11, 30, 0, 0, 0, 0, UTC));
  }

  @Test
  void monthHandlesLeapFebruary() {
    PeriodWindow feb = BudgetPeriod.MONTHLY.windowOf(Instant.parse("2028-02-29T23:00:00Z"), UTC);
    assertThat(feb.start()).isEqualTo(ZonedDateTime.of(2028, 2, 1, 0, 0, 0, 0, UTC));
    assertThat(feb.end()).isEqualTo(ZonedDateTime.of(2028, 3, 1, 0, 0, 0, 0, UTC));
    assertThat(Duration.between(feb.startInstant(), feb.endInstant())).isEqualTo(Duration.ofDays(29));
  }

  @Test
  void monthInAZoneAheadOfUtc() {
    PeriodWindow w = BudgetPeriod.MONTHLY.windowOf(Instant.parse("2026-02-28T23:30:00Z"), ZoneId.of("Asia/Tokyo"));
    assertThat(w.start().toLocalDate()).isEqualTo(java.time.LocalDate.of(2026, 3, 1));
  }

  @Test
  void windowContainsItsStartButNotItsEnd() {
    PeriodWindow w = BudgetPeriod.DAILY.windowOf(Instant.parse("2026-01-01T00:00:00Z"), UTC);
    assertThat(w.contains(w.startInstant())).isTrue();
    assertThat(w.contains(w.endInstant())).isFalse();
    assertThat(w.contains(w.endInstant().minusNanos(1))).isTrue();
  }
}
