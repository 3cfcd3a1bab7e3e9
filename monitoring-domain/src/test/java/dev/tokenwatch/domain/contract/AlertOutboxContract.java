package dev.tokenwatch.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertKind;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.outbox.PendingAlert;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of the alert outbox: a successful claim queues its alert for each sink in the same
 * step (a lost claim queues nothing); entries are taken with a lease, oldest first, only when due,
 * by one taker at a time; delivered ones go, failed ones come back after their retry time, given up
 * ones stay listed and are never due; alerts read back equal, after a reopen too.
 */
public abstract class AlertOutboxContract extends ReservationContract {

  private static final Instant RAISED = JAN.plus(Duration.ofDays(5));
  private static final Instant LEASE_END = RAISED.plusSeconds(60);
  private static final Set<String> SINKS = Set.of("console", "slack-1");

  /** A threshold alert raised at {@code at}, with every field set to something a store must keep. */
  protected static Alert alert(String budget, double threshold, Instant at) {
    UsageFilter scope = new UsageFilter(List.of(), "web shop", null, Map.of("team", "a=b: c#d"))
        .withModels(List.of("claude-*", "gpt-4o"));
    return new Alert(AlertLevel.forThreshold(threshold), threshold, threshold + 0.013,
        "Budget '" + budget + "' at 81.3% ($8.13 of $10.00)\nsecond line: ünïcødé = # ! \\ done", at, budget,
        8_130_000_000L, 10_000_000_000L, BudgetPeriod.MONTHLY,
        FEB.atZone(ZoneId.of("Europe/Berlin")), BudgetUnit.USD, scope,
        new Counts(100, 200, 30, 40, 370, 3, 8_130_000_000L, 1, 50), AlertKind.THRESHOLD, null);
  }

  private static Alert forecast(Instant at) {
    return new Alert(AlertLevel.CRITICAL, 1.0, 0.42, "projected", at, BUDGET, 420, 1000, BudgetPeriod.DAILY,
        FEB.atZone(ZoneId.of("UTC")), BudgetUnit.TOKENS, UsageFilter.ANY, new Counts(400, 20, 0, 0, 420, 2),
        AlertKind.FORECAST, at.plusSeconds(3600));
  }

  private static BudgetWindow window(String budget) {
    return new BudgetWindow(budget, JAN, FEB, UsageFilter.ANY);
  }

  private boolean claim(String budget, double threshold, Alert alert, String... sinks) {
    return store.claimThreshold(window(budget), threshold, new AlertClaim(alert, List.of(sinks), LEASE_END));
  }

  @Test
  void aWonClaimQueuesItsAlertOncePerSinkHeldByTheClaimer() throws Exception {
    Alert alert = alert(BUDGET, 0.8, RAISED);
    assertThat(claim(BUDGET, 0.8, alert, "console", "slack-1")).isTrue();

    store = reopen(store);
    List<PendingAlert> queued = store.outbox().undelivered();
    assertThat(queued).extracting(PendingAlert::sink).containsExactly("console", "slack-1");
    for (PendingAlert entry : queued) {
      assertThat(entry.alert()).isEqualTo(alert);
      assertThat(entry.queuedAt()).isEqualTo(RAISED);
      assertThat(entry.attempts()).isEqualTo(1);
      assertThat(entry.nextAttemptAt()).isEqualTo(LEASE_END);
      assertThat(entry.givenUp()).isFalse();
      assertThat(entry.lastProblem()).isEmpty();
    }
    assertThat(store.outbox().takeDue(SINKS, LEASE_END.minusMillis(1), LEASE_END.plusSeconds(60), 10))
        .as("nobody else takes them while the claimer's lease runs").isEmpty();
  }

  @Test
  void aLostClaimQueuesNothing() {
    assertThat(claim(BUDGET, 0.9, alert(BUDGET, 0.9, RAISED), "console")).isTrue();
    assertThat(claim(BUDGET, 0.9, alert(BUDGET, 0.9, RAISED.plusSeconds(1)), "console")).isFalse();
    assertThat(claim(BUDGET, 0.5, alert(BUDGET, 0.5, RAISED.plusSeconds(2)), "console")).isFalse();
    assertThat(store.outbox().undelivered()).hasSize(1);
    assertThat(store.claimThreshold(window("other"), 0.5)).as("a claim without an alert").isTrue();
    assertThat(store.outbox().undelivered()).hasSize(1);
  }

  @Test
  void entriesAreTakenWhenDueOldestFirstOnlyForTheTakersSinksAndAtMostMax() throws Exception {
    claim("b1", 0.5, alert("b1", 0.5, RAISED.plusSeconds(2)), "console", "slack-1");
    claim("b2", 0.5, alert("b2", 0.5, RAISED), "slack-1");
    claim("b3", 0.5, alert("b3", 0.5, RAISED.plusSeconds(1)), "pager");

    Instant later = LEASE_END.plusSeconds(1);
    List<PendingAlert> taken = store.outbox().takeDue(Set.of("slack-1", "console"), later, later.plusSeconds(60), 2);
    assertThat(taken).extracting(e -> e.alert().budgetName() + "/" + e.sink())
        .containsExactly("b2/slack-1", "b1/console");
    assertThat(taken).allSatisfy(e -> {
      assertThat(e.attempts()).isEqualTo(2);
      assertThat(e.nextAttemptAt()).isEqualTo(later.plusSeconds(60));
    });
    store = reopen(store);
    assertThat(store.outbox().takeDue(Set.of("slack-1", "console"), later, later.plusSeconds(60), 10))
        .extracting(e -> e.alert().budgetName() + "/" + e.sink()).containsExactly("b1/slack-1");
    assertThat(store.outbox().takeDue(Set.of("slack-1", "console"), later, later.plusSeconds(60), 10))
        .as("all taken, leases running").isEmpty();
    assertThat(store.outbox().takeDue(Set.of("slack-1", "console"), later.plusSeconds(60), later.plusSeconds(120), 10))
        .as("leases over").hasSize(3);
  }

  @Test
  void deliveredEntriesGoAndFailedOnesComeBackAtTheirRetryTime() throws Exception {
    Alert alert = alert(BUDGET, 0.8, RAISED);
    claim(BUDGET, 0.8, alert, "console", "slack-1");
    store.outbox().delivered(alert.id(), "console");
    Instant retry = RAISED.plusSeconds(5);
    store.outbox().retryAt(alert.id(), "slack-1", retry, "HTTP 500 (webhook https://hooks.slack.com/…)");
    store.outbox().delivered("no-such-id", "console");
    store.outbox().retryAt("no-such-id", "console", retry, "ignored");

    store = reopen(store);
    List<PendingAlert> left = store.outbox().undelivered();
    assertThat(left).singleElement().satisfies(e -> {
      assertThat(e.sink()).isEqualTo("slack-1");
      assertThat(e.nextAttemptAt()).isEqualTo(retry);
      assertThat(e.lastProblem()).isEqualTo("HTTP 500 (webhook https://hooks.slack.com/…)");
    });
    assertThat(store.outbox().takeDue(SINKS, retry.minusMillis(1), retry.plusSeconds(60), 10)).isEmpty();
    assertThat(store.outbox().takeDue(SINKS, retry, retry.plusSeconds(60), 10)).singleElement()
        .satisfies(e -> assertThat(e.attempts()).isEqualTo(2));
    store.outbox().delivered(alert.id(), "slack-1");
    store = reopen(store);
    assertThat(store.outbox().undelivered()).isEmpty();
  }

  @Test
  void givenUpEntriesStayListedAndAreNeverDue() throws Exception {
    Alert alert = alert(BUDGET, 0.8, RAISED);
    claim(BUDGET, 0.8, alert, "slack-1");
    store.outbox().giveUp(alert.id(), "slack-1", "HTTP 404 no_service");
    store = reopen(store);
    assertThat(store.outbox().undelivered()).singleElement().satisfies(e -> {
      assertThat(e.givenUp()).isTrue();
      assertThat(e.lastProblem()).isEqualTo("HTTP 404 no_service");
    });
    assertThat(store.outbox().takeDue(SINKS, RAISED.plus(Duration.ofDays(30)), RAISED.plus(Duration.ofDays(31)), 10))
        .isEmpty();
  }

  @Test
  void forecastAlertsAndResetWindowsKeepTheirEntries() throws Exception {
    Alert alert = forecast(RAISED);
    claim(BUDGET, 1.0, alert, "console");
    store.resetWindow(window(BUDGET));
    store = reopen(store);
    assertThat(store.outbox().undelivered()).singleElement()
        .satisfies(e -> assertThat(e.alert()).isEqualTo(alert));
  }

  @Test
  void concurrentTakersDeliverEachEntryOnce() throws Exception {
    int alerts = 40;
    for (int i = 0; i < alerts; i++) {
      claim("b" + i, 0.5, alert("b" + i, 0.5, RAISED.plusMillis(i)), "console");
    }
    Instant due = LEASE_END.plusSeconds(1);
    Map<String, Integer> deliveries = new ConcurrentHashMap<>();
    AtomicInteger empty = new AtomicInteger();
    runConcurrently(4, worker -> {
      while (empty.get() < 4) {
        List<PendingAlert> taken = store.outbox().takeDue(Set.of("console"), due, due.plusSeconds(600), 3);
        if (taken.isEmpty()) {
          empty.incrementAndGet();
          continue;
        }
        for (PendingAlert entry : taken) {
          deliveries.merge(entry.alertId(), 1, Integer::sum);
          store.outbox().delivered(entry.alertId(), entry.sink());
        }
      }
      return null;
    });
    assertThat(deliveries).hasSize(alerts);
    assertThat(deliveries.values()).containsOnly(1);
    assertThat(store.outbox().undelivered()).isEmpty();
  }
}
