package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.outbox.AlertClaim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's "3 processes retrying the same outbox deliver each alert once", on PostgreSQL: 120
 * claimed alerts for 2 sinks (20 of them still leased by their claimer for 2 s), 3 JVMs of 2 threads
 * taking and delivering, a quarter of the entries failing once (then due again for any process), and
 * a fourth JVM that takes 6 entries and halts without marking them. Every entry is delivered exactly
 * once, the leased and the abandoned ones only after their leases, and the outbox ends empty.
 */
class OutboxProcessesTest {

  private static final int ALERTS = 120;
  private static final int LEASED = 20;
  private static final int DELIVERERS = 3;

  @TempDir
  Path dir;

  @Test
  void threeProcessesDeliverEachEntryOnceThroughFailuresAndAnAbandonedTake() throws Exception {
    String url = EmbeddedPostgresServer.newDatabase("outbox");
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(url).user(EmbeddedPostgresServer.USER).build()) {
      Instant now = Instant.now();
      Instant claimerLease = now.plusSeconds(2);
      Set<String> leased = new HashSet<>();
      for (int i = 0; i < ALERTS; i++) {
        Alert alert = alert("b" + i, now.minusSeconds(ALERTS - i));
        // claimers that died at once (lease over) and, for the last ones, a claimer still delivering
        Instant lease = i >= ALERTS - LEASED ? claimerLease : now.minusSeconds(1);
        if (i >= ALERTS - LEASED) {
          leased.add(alert.id());
        }
        BudgetWindow window = new BudgetWindow("b" + i, now.truncatedTo(ChronoUnit.DAYS), now.plusSeconds(86_400),
            UsageFilter.ANY);
        assertThat(store.claimThreshold(window, 0.8, new AlertClaim(alert, List.of("console", "slack"), lease)))
            .isTrue();
      }
      assertThat(store.outbox().undelivered()).hasSize(2 * ALERTS);

      Path go = dir.resolve("go");
      List<ChildJvm> deliverers = new ArrayList<>();
      for (int p = 0; p < DELIVERERS; p++) {
        deliverers.add(ChildJvm.start(dir, OutboxTakerMain.class, url, EmbeddedPostgresServer.USER, go.toString(),
            "deliver"));
      }
      ChildJvm abandoner = ChildJvm.start(dir, OutboxTakerMain.class, url, EmbeddedPostgresServer.USER,
          go.toString(), "abandon");
      for (ChildJvm child : deliverers) {
        child.awaitLine("READY");
      }
      abandoner.awaitLine("READY");
      Files.createFile(go);
      long goMillis = System.currentTimeMillis();

      Set<String> abandoned = new HashSet<>();
      for (String line : abandoner.awaitSuccess()) {
        if (line.startsWith("ABANDONED ")) {
          abandoned.add(line.substring("ABANDONED ".length()));
        }
      }
      Map<String, Integer> deliveries = new HashMap<>();
      Map<String, Long> takenAt = new HashMap<>();
      Map<String, Integer> attempts = new HashMap<>();
      Set<String> failed = new HashSet<>();
      List<Integer> perProcess = new ArrayList<>();
      for (ChildJvm child : deliverers) {
        int delivered = 0;
        List<String> lines = child.awaitSuccess();
        assertThat(lines).contains("DONE");
        for (String line : lines) {
          String[] f = line.split(" ");
          if (f[0].equals("DELIVERED")) {
            String key = f[1] + " " + f[2];
            deliveries.merge(key, 1, Integer::sum);
            attempts.put(key, Integer.parseInt(f[3]));
            takenAt.put(key, Long.parseLong(f[4]));
            delivered++;
          } else if (f[0].equals("FAILED")) {
            failed.add(f[1] + " " + f[2]);
          }
        }
        perProcess.add(delivered);
      }
      System.out.printf("outbox, %d processes: delivered per process %s, %d failed once, %d abandoned, %d ms%n",
          DELIVERERS, perProcess, failed.size(), abandoned.size(), System.currentTimeMillis() - goMillis);

      assertThat(deliveries).as("every entry delivered").hasSize(2 * ALERTS);
      assertThat(deliveries.values()).as("each exactly once").containsOnly(1);
      assertThat(perProcess).as("every process delivered some").allSatisfy(n -> assertThat(n).isPositive());
      assertThat(failed).as("failures").hasSizeGreaterThan(10);
      for (String key : failed) {
        assertThat(attempts.get(key)).as("a failed entry delivered on a later attempt: " + key)
            .isGreaterThanOrEqualTo(3);
      }
      assertThat(abandoned).as("entries the halted process took").isNotEmpty();
      for (String key : abandoned) {
        assertThat(attempts.get(key)).as("an abandoned entry taken again: " + key).isGreaterThanOrEqualTo(3);
      }
      for (Map.Entry<String, Long> e : takenAt.entrySet()) {
        if (leased.contains(e.getKey().split(" ")[0])) {
          assertThat(e.getValue()).as("taken after its claimer's lease: " + e.getKey())
              .isGreaterThanOrEqualTo(claimerLease.toEpochMilli());
        }
      }
      assertThat(store.outbox().undelivered()).as("the outbox at the end").isEmpty();
    }
  }

  private static Alert alert(String budget, Instant at) {
    return new Alert(AlertLevel.WARNING, 0.8, 0.81, "Budget '" + budget + "' at 81%", at, budget, 810, 1000,
        BudgetPeriod.DAILY, at.atZone(ZoneOffset.UTC).plusDays(1), BudgetUnit.TOKENS, UsageFilter.ANY,
        new Counts(800, 10, 0, 0, 810, 1));
  }
}
