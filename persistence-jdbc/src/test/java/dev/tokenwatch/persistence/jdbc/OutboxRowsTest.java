package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.outbox.PendingAlert;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQL outbox adds to the contract (on H2): column limits, damaged rows, a re-queued alert. */
class OutboxRowsTest {

  private static final Instant AT = Instant.parse("2026-03-05T10:15:30.123456789Z");
  private static final BudgetWindow WINDOW =
      new BudgetWindow("b", Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"),
          UsageFilter.ANY);

  @TempDir
  Path dir;
  private JdbcUsageStore store;

  @BeforeEach
  void open() {
    store = JdbcUsageStore.builder().url("jdbc:h2:file:" + dir.resolve("usage")).user("sa").password("").build();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Alert alert(Instant at) {
    return new Alert(AlertLevel.WARNING, 0.8, 0.8, "Budget 'b' at 80%", at, "b", 80, 100, BudgetPeriod.MONTHLY,
        at.atZone(ZoneOffset.UTC).plusDays(20), BudgetUnit.TOKENS, UsageFilter.ANY, new Counts(80, 0, 0, 0, 80, 1));
  }

  @Test
  void instantsComeBackToTheNanosecond() {
    Alert alert = alert(AT);
    store.claimThreshold(WINDOW, 0.8, new AlertClaim(alert, List.of("console"), AT.plusNanos(61_000_000_001L)));
    PendingAlert entry = store.outbox().undelivered().get(0);
    assertThat(entry.queuedAt()).isEqualTo(AT);
    assertThat(entry.nextAttemptAt()).isEqualTo(AT.plusNanos(61_000_000_001L));
    assertThat(store.outbox().takeDue(Set.of("console"), AT.plusNanos(61_000_000_000L), AT.plusSeconds(600), 5))
        .as("one nanosecond before it is due").isEmpty();
    assertThat(store.outbox().takeDue(Set.of("console"), AT.plusNanos(61_000_000_001L), AT.plusSeconds(600), 5))
        .hasSize(1);
  }

  @Test
  void aProblemLongerThanItsColumnIsKeptCutAndMarked() {
    Alert alert = alert(AT);
    store.claimThreshold(WINDOW, 0.8, new AlertClaim(alert, List.of("slack"), AT));
    String problem = "x".repeat(OutboxRows.MAX_PROBLEM - 1) + "\uD83D\uDE00" + "tail";
    store.outbox().retryAt(alert.id(), "slack", AT.plusSeconds(5), problem);
    String kept = store.outbox().undelivered().get(0).lastProblem();
    assertThat(kept).startsWith("x".repeat(OutboxRows.MAX_PROBLEM - 1)).endsWith("…");
    assertThat(kept.codePointCount(0, kept.length())).isEqualTo(OutboxRows.MAX_PROBLEM);
    store.outbox().giveUp(alert.id(), "slack", problem);
    assertThat(store.outbox().undelivered().get(0).givenUp()).isTrue();
  }

  @Test
  void aSinkNameTooLongForItsColumnIsRefusedAndTheClaimUndone() {
    String sink = "s".repeat(OutboxRows.MAX_SINK + 1);
    assertThatThrownBy(() -> store.claimThreshold(WINDOW, 0.8, new AlertClaim(alert(AT), List.of("console", sink), AT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sink name must be at most 500 characters")
        .hasMessageContaining("got 501");
    assertThat(store.claimedThresholds(WINDOW)).as("nothing claimed").isEmpty();
    assertThat(store.outbox().undelivered()).as("nothing queued").isEmpty();
    assertThat(store.claimThreshold(WINDOW, 0.8, new AlertClaim(alert(AT), List.of("console"), AT))).isTrue();
  }

  @Test
  void aDamagedRowIsReportedWithItsAlertAndSink() throws Exception {
    Alert alert = alert(AT);
    store.claimThreshold(WINDOW, 0.8, new AlertClaim(alert, List.of("console"), AT));
    try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE tokenwatch_ledger_alert_outbox SET alert_text = 'id=" + alert.id() + "'");
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
    assertThatThrownBy(() -> store.outbox().undelivered())
        .isInstanceOf(JdbcUsageStoreException.class)
        .hasMessageContaining("alert outbox entry of alert " + alert.id() + " for sink 'console' is unreadable")
        .hasMessageContaining("lacks the key");
  }

  @Test
  void anAlertQueuedAgainReplacesItsEntry() {
    Alert alert = alert(AT);
    store.claimThreshold(WINDOW, 0.8, new AlertClaim(alert, List.of("console", "slack"), AT));
    store.outbox().takeDue(Set.of("console", "slack"), AT, AT.plusSeconds(60), 5);
    store.outbox().retryAt(alert.id(), "slack", AT.plusSeconds(5), "HTTP 500");
    store.resetWindow(WINDOW);
    Instant lease = AT.plusSeconds(90);
    assertThat(store.claimThreshold(WINDOW, 0.8, new AlertClaim(alert, List.of("slack"), lease))).isTrue();
    assertThat(store.outbox().undelivered()).extracting(PendingAlert::sink, PendingAlert::attempts,
            PendingAlert::nextAttemptAt, PendingAlert::lastProblem)
        .containsExactly(tuple("console", 2, AT.plusSeconds(60), ""),
            tuple("slack", 1, lease, ""));
  }
}
