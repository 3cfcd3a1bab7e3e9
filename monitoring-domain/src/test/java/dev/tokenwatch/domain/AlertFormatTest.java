package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class AlertFormatTest {

  @Test
  void tokensHaveThousandsSeparators() {
    assertThat(Alert.formatTokens(0)).isEqualTo("0");
    assertThat(Alert.formatTokens(999)).isEqualTo("999");
    assertThat(Alert.formatTokens(1_000_000)).isEqualTo("1,000,000");
    assertThat(Alert.formatTokens(-12_345)).isEqualTo("-12,345");
  }

  @Test
  void percentHasOneDecimalRoundedHalfUp() {
    assertThat(Alert.formatPercent(0.7241)).isEqualTo("72.4%");
    assertThat(Alert.formatPercent(0.72451)).isEqualTo("72.5%");
    assertThat(Alert.formatPercent(1.2)).isEqualTo("120.0%");
    assertThat(Alert.formatPercent(0)).isEqualTo("0.0%");
  }

  @Test
  void periodEndIsInItsZone() {
    assertThat(Alert.formatPeriodEnd(ZonedDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneId.of("Europe/Berlin"))))
        .isEqualTo("2026-12-01 00:00 CET");
  }
}
