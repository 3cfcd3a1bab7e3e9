package dev.tokenwatch.domain.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.PeriodWindow;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.ledger.Counts;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertTextTest {

  private static Alert alert() {
    TokenBudget budget = TokenBudget.of(1_000, BudgetPeriod.DAILY);
    Instant now = Instant.parse("2026-11-15T10:00:00Z");
    PeriodWindow window = budget.period().windowOf(now, budget.zone());
    Usage usage = new Usage(800, 1_000, 0.8, 200, budget.unit(), new Counts(800, 0, 0, 0, 800, 2));
    return Alert.of(budget, 0.8, usage, window, now);
  }

  @Test
  void anAlertReadsBackEqual() {
    Alert alert = alert();
    String text = AlertText.encode(alert);
    assertThat(AlertText.decode(text)).isEqualTo(alert);
    assertThat(text).doesNotStartWith("#").contains("id=" + alert.id());
    assertThat(AlertText.encode(alert)).isEqualTo(text);
  }

  @Test
  void aMissingOrUnreadableKeyIsNamed() {
    String text = AlertText.encode(alert());
    assertThatThrownBy(() -> AlertText.decode(text.replaceAll("(?m)^used=.*$", "")))
        .hasMessageContaining("'used'");
    assertThatThrownBy(() -> AlertText.decode(text.replaceAll("(?m)^timestamp=.*$", "timestamp=yesterday")))
        .hasMessageContaining("alert key 'timestamp' has an unreadable value 'yesterday'");
  }
}
