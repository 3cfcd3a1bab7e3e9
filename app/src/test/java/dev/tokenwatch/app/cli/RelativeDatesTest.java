package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --since} and {@code --until}: days in two spellings and ranges relative to today. */
class RelativeDatesTest {

  /** A Thursday. */
  private static final LocalDate TODAY = LocalDate.parse("2026-03-12");

  @ParameterizedTest
  @CsvSource({
      "2026-11-01, 2026-11-01, 2026-11-01",
      "20261101, 2026-11-01, 2026-11-01",
      "20240229, 2024-02-29, 2024-02-29",
      "today, 2026-03-12, 2026-03-12",
      "Yesterday, 2026-03-11, 2026-03-11",
      "1d, 2026-03-12, 2026-03-12",
      "7d, 2026-03-06, 2026-03-12",
      "30d, 2026-02-11, 2026-03-12",
      "this-week, 2026-03-09, 2026-03-15",
      "last-week, 2026-03-02, 2026-03-08",
      "this-month, 2026-03-01, 2026-03-31",
      "last-month, 2026-02-01, 2026-02-28"})
  void sinceTakesTheFirstDayAndUntilTheLast(String text, LocalDate first, LocalDate last) {
    RelativeDates.DateArg arg = RelativeDates.parse(text);
    assertThat(arg.first(TODAY)).isEqualTo(first);
    assertThat(arg.last(TODAY)).isEqualTo(last);
  }

  @ParameterizedTest
  @ValueSource(strings = {"20261301", "20230229", "2026-11-31", "yesterdy", "7days", "-7d", "2026/11/01", ""})
  void anythingElseNamesTheForms(String text) {
    assertThatThrownBy(() -> RelativeDates.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("must be " + RelativeDates.FORMS + ", got \"" + text + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0d", "00d"})
  void zeroDaysIsNoRange(String text) {
    assertThatThrownBy(() -> RelativeDates.parse(text)).hasMessage("must be at least 1d (today), got \"" + text + "\"");
  }

  @org.junit.jupiter.api.Test
  void rangesCrossTheYear() {
    LocalDate january = LocalDate.parse("2026-01-15");
    assertThat(RelativeDates.parse("last-month").first(january)).isEqualTo("2025-12-01");
    assertThat(RelativeDates.parse("last-month").last(january)).isEqualTo("2025-12-31");
    LocalDate newYear = LocalDate.parse("2026-01-01"); // a Thursday
    assertThat(RelativeDates.parse("this-week").first(newYear)).isEqualTo("2025-12-29");
    assertThat(RelativeDates.parse("this-week").last(newYear)).isEqualTo("2026-01-04");
    assertThat(RelativeDates.parse("last-week").last(newYear)).isEqualTo("2025-12-28");
  }
}
