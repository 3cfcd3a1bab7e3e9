package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class AmountsTest {

  @Test
  void countsAreGroupedAsFormatGroupsThem() {
    for (long v : new long[] {0, 7, 999, 1_000, 12_345, 999_999, 1_000_000, -1_234_567, Long.MAX_VALUE, Long.MIN_VALUE}) {
      assertThat(Amounts.count(v)).isEqualTo(String.format(Locale.ROOT, "%,d", v));
    }
  }

  @Test
  void percentagesHaveOneDecimalRoundedHalfUp() {
    assertThat(Amounts.percent(0.7241)).isEqualTo("72.4%");
    assertThat(Amounts.percent(0.72449)).isEqualTo("72.4%");
    assertThat(Amounts.percent(0.0005)).isEqualTo("0.1%");
    assertThat(Amounts.percent(1.125)).isEqualTo("112.5%");
    assertThat(Amounts.percent(0)).isEqualTo("0.0%");
  }

  @Test
  void dollarsAreShownToTheCentAndSmallCostsKeepTwoDigits() {
    assertThat(Amounts.usd(187_400_000_000L)).isEqualTo("$187.40");
    assertThat(Amounts.usd(1_234_567_890_123L)).isEqualTo("$1,234.57");
    assertThat(Amounts.usd(2_000L * 1_000_000_000L)).isEqualTo("$2,000.00");
    assertThat(Amounts.usd(0)).isEqualTo("$0.00");
    assertThat(Amounts.usd(4_200_000)).isEqualTo("$0.0042");
    assertThat(Amounts.usd(10_000_000)).isEqualTo("$0.01");
    assertThat(Amounts.usd(-1_500_000_000L)).isEqualTo("-$1.50");
  }
}
