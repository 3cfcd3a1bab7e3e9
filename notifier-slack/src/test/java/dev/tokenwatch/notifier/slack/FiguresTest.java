package dev.tokenwatch.notifier.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.Alert;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FiguresTest {

  @Test
  void tokensMatchTheDomainsFormatting() {
    long[] edges = {0, 1, -1, 999, 1000, -1000, 999_999, 1_000_000, 724_100, 12_345_678_901L, Long.MAX_VALUE,
        Long.MIN_VALUE, Long.MIN_VALUE + 1};
    for (long value : edges) {
      assertThat(Figures.tokens(value)).as("%d", value).isEqualTo(Alert.formatTokens(value));
    }
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 4_000; i++) {
      long value = random.nextLong() >> random.nextInt(64);
      assertThat(Figures.tokens(value)).as("%d", value).isEqualTo(Alert.formatTokens(value));
    }
  }

  @Test
  void percentMatchesTheDomainsFormatting() {
    double[] edges = {0, 0.5, 0.7, 0.7241, 0.72449, 0.72450, 0.72451, 0.00049, 0.0005, 0.00051, 1, 1.2, 9.99951,
        0.15 / 100, 0.25 / 100, 0.35 / 100, 1e-9, -0.1, 123456.789};
    for (double ratio : edges) {
      assertThat(Figures.percent(ratio)).as("%s", ratio).isEqualTo(Alert.formatPercent(ratio));
    }
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 4_000; i++) {
      double ratio = random.nextDouble() * 3;
      assertThat(Figures.percent(ratio)).as("%s", ratio).isEqualTo(Alert.formatPercent(ratio));
      long used = random.nextLong(1, 10_000_000);
      long limit = random.nextLong(1, 10_000_000);
      double exact = (double) used / limit;
      assertThat(Figures.percent(exact)).as("%d/%d", used, limit).isEqualTo(Alert.formatPercent(exact));
    }
  }
}
