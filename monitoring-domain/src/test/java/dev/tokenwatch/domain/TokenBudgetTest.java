package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBudgetTest {

  @Test
  void defaults() {
    TokenBudget budget = TokenBudget.builder().limit(1_000).build();
    assertThat(budget.name()).isEqualTo("default");
    assertThat(budget.period()).isEqualTo(BudgetPeriod.MONTHLY);
    assertThat(budget.alertThresholds()).containsExactly(0.5, 0.7, 0.8, 1.0);
    assertThat(budget.zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(budget.historySize()).isEqualTo(100);
  }

  @Test
  void thresholdsAreSortedAndDeduplicated() {
    TokenBudget budget = TokenBudget.builder().limit(10).alertThresholds(List.of(1.0, 0.5, 0.9, 0.5, 1.5)).build();
    assertThat(budget.alertThresholds()).containsExactly(0.5, 0.9, 1.0, 1.5);
  }

  @Test
  void rejectsInvalidFields() {
    assertThatThrownBy(() -> TokenBudget.builder().limit(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be positive, got 0");
    assertThatThrownBy(() -> TokenBudget.builder().limit(1).name("").build()).hasMessageStartingWith("name must be");
    assertThatThrownBy(() -> TokenBudget.builder().limit(1).name("a b").build()).hasMessageStartingWith("name must be");
    assertThatThrownBy(() -> TokenBudget.builder().limit(1).period(null).build()).hasMessageStartingWith("period");
    assertThatThrownBy(() -> TokenBudget.builder().limit(1).alertThresholds(List.of()).build())
        .hasMessageStartingWith("alertThresholds must contain at least one");
    assertThatThrownBy(() -> TokenBudget.builder().limit(1).alertThresholds(List.of(0.5, 0.0)).build())
        .hasMessage("alertThresholds[1] must be above 0 and at most 10 (1000%), got 0.0");
    assertThatThrownBy(() -> TokenBudget.builder().limit(1).alertThresholds(List.of(10.5)).build())
        .hasMessage("alertThresholds[0] must be above 0 and at most 10 (1000%), for 10.5% write 0.105 or 10.5%, got 10.5");
    assertThatThrownBy(() -> TokenBudget.builder().limit(1).alertThresholds(List.of(Double.NaN)).build())
        .hasMessage("alertThresholds[0] must be above 0 and at most 10 (1000%), got NaN");
    assertThatThrownBy(() -> TokenBudget.builder().limit(1).zone(null).build()).hasMessageStartingWith("zone");
    assertThatThrownBy(() -> TokenBudget.builder().limit(1).historySize(0).build())
        .hasMessage("historySize must be a whole number from 1 to 100000, got 0");
    assertThatThrownBy(() -> TokenBudget.builder().limit(1).historySize(100_001).build())
        .hasMessage("historySize must be a whole number from 1 to 100000, got 100001");
  }

  @Test
  void amountAtIsExactCeiling() {
    TokenBudget budget = TokenBudget.builder().limit(1_000_000).build();
    assertThat(budget.amountAt(0.7)).isEqualTo(700_000);
    assertThat(TokenBudget.builder().limit(3).build().amountAt(0.5)).isEqualTo(2);
    assertThat(TokenBudget.builder().limit(Long.MAX_VALUE).build().amountAt(10)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void periodParsing() {
    assertThat(BudgetPeriod.parse("Weekly")).isEqualTo(BudgetPeriod.WEEKLY);
    assertThatThrownBy(() -> BudgetPeriod.parse("yearly"))
        .hasMessage("period must be one of daily, weekly, monthly, got \"yearly\"");
  }
}
