package dev.tokenwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code mode: soft | hard} per budget and the top-level {@code reservationTimeout}: values, defaults, errors. */
class HardLimitsConfigTest {

  @TempDir
  Path dir;

  private AppConfig parse(String yaml) {
    TestEnvironment harness = new TestEnvironment(dir);
    harness.variables.put("TIMEOUT", "45s");
    return new ConfigLoader(harness.environment()).parse(yaml, "config.yaml", dir.resolve("config.yaml"));
  }

  @Test
  void budgetsAreSoftUnlessHardAndTheTimeoutIsTenMinutesByDefault() {
    AppConfig config = parse("""
        budgets:
          - {name: a, limit: 1000, mode: hard}
          - {name: b, limit: 5 USD, mode: SOFT}
          - {name: c, limit: 2000}
        """);
    assertThat(config.budgets()).extracting(TokenBudget::mode)
        .containsExactly(BudgetMode.HARD, BudgetMode.SOFT, BudgetMode.SOFT);
    assertThat(config.reservationTimeout()).isEqualTo(TokenTracker.DEFAULT_RESERVATION_TIMEOUT)
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(AppConfig.defaults("built-in", dir, List.of()).reservationTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(AppConfig.defaults("built-in", dir, List.of()).budget().hard()).isFalse();
  }

  @Test
  void theOneBudgetFormTakesAModeToo() {
    assertThat(parse("budget:\n  limit: 500\n  mode: hard\n").budget().hard()).isTrue();
  }

  @Test
  void theTimeoutIsInSecondsMinutesOrHoursAndTakesVariables() {
    assertThat(parse("reservationTimeout: 90s\n").reservationTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(parse("reservationTimeout: 15m\n").reservationTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(parse("reservationTimeout: 2h\n").reservationTimeout()).isEqualTo(Duration.ofHours(2));
    assertThat(parse("reservationTimeout: ${TIMEOUT}\n").reservationTimeout()).isEqualTo(Duration.ofSeconds(45));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("budgets:\n  - name: a\n    limit: 5\n    mode: strict\n",
            "config.yaml line 4: budgets[0].mode must be soft (alerts only, the default) or hard (reservations that "
                + "would pass the limit are refused), got \"strict\""),
        Arguments.of("budget:\n  mode: [hard]\n",
            "config.yaml line 2: budget.mode must be a single value, got a list"),
        Arguments.of("budget:\n  mode: \"\"\n",
            "config.yaml line 2: budget.mode must be soft (alerts only, the default) or hard (reservations that "
                + "would pass the limit are refused), got \"\""),
        Arguments.of("budgets:\n  - {name: a, limit: 5, mod: hard}\n",
            "config.yaml line 2: budgets[0].mod is not a known key; did you mean budgets[0].mode?"),
        Arguments.of("reservationTimeout: 10\n", timeoutError("\"10\"")),
        Arguments.of("reservationTimeout: 0m\n", timeoutError("\"0m\"")),
        Arguments.of("reservationTimeout: -5m\n", timeoutError("\"-5m\"")),
        Arguments.of("reservationTimeout: 10 minutes\n", timeoutError("\"10 minutes\"")),
        Arguments.of("reservationTimeout: 1d\n", timeoutError("\"1d\"")),
        Arguments.of("budget:\n  limit: 5\nreservationTimout: 5m\n",
            "config.yaml line 3: reservationTimout is not a known key; did you mean reservationTimeout?"));
  }

  private static String timeoutError(String value) {
    return "config.yaml line 1: reservationTimeout must be a positive whole number of seconds, minutes or hours "
        + "such as 90s, 10m or 1h (default 10m), got " + value;
  }

  @ParameterizedTest
  @MethodSource("errors")
  void errorsNameFileLineKeyAndValue(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void theTimeoutIsPrintedInItsLargestWholeUnit() {
    assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofHours(3))).isEqualTo("3h");
    assertThat(Durations.format(Duration.ofMinutes(150))).isEqualTo("150m");
  }
}
