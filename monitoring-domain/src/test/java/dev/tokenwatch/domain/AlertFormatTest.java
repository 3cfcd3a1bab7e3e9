package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written number formatting prints exactly what {@code String.format} prints. */
class AlertFormatTest {

  @Test
  void tokensMatchStringFormat() {
    long[] edges = {0, 1, -1, 999, 1000, -1000, 999_999, 1_000_000, 724_100, 12_345_678_901L, Long.MAX_VALUE,
        Long.MIN_VALUE, Long.MIN_VALUE + 1};
    for (long value : edges) {
      assertThat(Alert.formatTokens(value)).as("%d", value).isEqualTo(String.format(Locale.ROOT, "%,d", value));
    }
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 4_000; i++) {
      long value = random.nextLong() >> random.nextInt(64);
      assertThat(Alert.formatTokens(value)).as("%d", value).isEqualTo(String.format(Locale.ROOT, "%,d", value));
    }
  }

  @Test
  void percentMatchesStringFormat() {
    double[] edges = {0, 0.5, 0.7, 0.7241, 0.72449, 0.72450, 0.72451, 0.00049, 0.0005, 0.00051, 1, 1.2, 9.99951,
        0.15 / 100, 0.25 / 100, 0.35 / 100, 1e-9, -0.1, 123456.789};
    for (double ratio : edges) {
      assertThat(Alert.formatPercent(ratio)).as("%s", ratio).isEqualTo(String.format(Locale.ROOT, "%.1f%%", ratio * 100.0));
    }
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 4_000; i++) {
      double ratio = random.nextDouble() * 3;
      assertThat(Alert.formatPercent(ratio)).as("%s", ratio).isEqualTo(String.format(Locale.ROOT, "%.1f%%", ratio * 100.0));
      long used = random.nextLong(1, 10_000_000);
      long limit = random.nextLong(1, 10_000_000);
      double exact = (double) used / limit;
      assertThat(Alert.formatPercent(exact)).as("%d/%d", used, limit).isEqualTo(String.format(Locale.ROOT, "%.1f%%", exact * 100.0));
    }
  }
}
