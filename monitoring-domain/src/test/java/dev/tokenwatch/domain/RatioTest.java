package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RatioTest {

  @ParameterizedTest
  @CsvSource({"0.8, 0.8", "80%, 0.8", " 80 % , 0.8", "1000%, 10", "10, 10", "0.001, 0.001", "150%, 1.5"})
  void readsRatiosAndPercentages(String text, double ratio) {
    assertThat(Ratio.parse(text)).isEqualTo(ratio);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "abc | must be a ratio such as 0.8 or a percentage such as 80%, got \"abc\"",
      "% | must be a ratio such as 0.8 or a percentage such as 80%, got \"%\"",
      "0 | must be above 0 and at most 10 (1000%), got \"0\"",
      "-0.5 | must be above 0 and at most 10 (1000%), got \"-0.5\"",
      "1001% | must be above 0 and at most 10 (1000%), got \"1001%\"",
      "80 | must be above 0 and at most 10 (1000%), for 80% write 0.8 or 80%, got \"80\"",
      "1001 | must be above 0 and at most 10 (1000%), got \"1001\""})
  void refusesWhatIsNoThresholdSayingWhy(String text, String message) {
    assertThatThrownBy(() -> Ratio.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource({"11, 11", "0, 0"})
  void readLeavesTheRangeToTheBudget(String text, double ratio) {
    assertThat(Ratio.read(text)).isEqualTo(ratio);
  }

  @org.junit.jupiter.api.Test
  void aProblemEndsWithTheValue() {
    assertThat(Ratio.problem(0.5)).isNull();
    assertThat(Ratio.problem(null)).isEqualTo("must be above 0 and at most 10 (1000%), got null");
    assertThat(Ratio.problem(Double.NaN)).isEqualTo("must be above 0 and at most 10 (1000%), got NaN");
    assertThat(Ratio.problem(25.0)).isEqualTo("must be above 0 and at most 10 (1000%), for 25% write 0.25 or 25%, got 25.0");
  }
}
