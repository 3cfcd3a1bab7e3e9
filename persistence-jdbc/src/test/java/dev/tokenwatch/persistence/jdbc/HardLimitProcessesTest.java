package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.port.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when": one hard budget on PostgreSQL, 4 JVMs of 8 threads each reserving random
 * estimates, committing (actual at most the estimate), releasing some and leaving some to expire. A
 * sampler checks many times, each in one statement, that committed plus reserved never passes the
 * limit; at the end the kept totals and the ledger equal what the children committed, and no
 * reservation is left once the abandoned ones expired. A second case commits more than estimated
 * at times: the budget is passed by at most the sum of those excesses.
 */
class HardLimitProcessesTest {

  private static final String PG_NOW_NS =
      "CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000) AS BIGINT) * 1000";

  @TempDir
  Path dir;

  @Test
  void fourProcessesOf8ThreadsNeverPassTheHardLimitAndTotalsAreExact() throws Exception {
    Run run = run(40, false);

    assertThat(run.sampler.over(HardLimitWorkload.LIMIT)).as("samples over the limit").isEmpty();
    assertThat(run.sampler.samples.size()).as("samples").isGreaterThan(20);
    assertThat(run.sampler.withReservations()).as("samples with open reservations").isPositive();
    assertThat(run.totals.refused()).as("refused reservations: the budget was reached").isPositive();
    assertThat(run.totals.released()).isPositive();
    assertThat(run.totals.abandoned()).isPositive();
    assertThat(run.committed).isEqualTo(run.totals.committed()).isLessThanOrEqualTo(HardLimitWorkload.LIMIT);
  }

  @Test
  void commitsAboveTheirEstimatePassTheLimitByAtMostTheirExcess() throws Exception {
    Run run = run(25, true);

    assertThat(run.totals.excess()).as("commits above their estimate").isPositive();
    assertThat(run.committed).isEqualTo(run.totals.committed())
        .isLessThanOrEqualTo(HardLimitWorkload.LIMIT + run.totals.excess());
  }

  private record Run(HardLimitWorkload.Totals totals, long committed, HeldSampler sampler) {}

  private Run run(int calls, boolean overshoot) throws Exception {
    String url = EmbeddedPostgresServer.newDatabase("hard");
    Instant base = HardLimitWorkload.base();
    Instant start = Instant.now();
    Clock clock = HardLimitWorkload.clock(base, start);
    BudgetWindow window = HardLimitWorkload.window(base);
    Path go = dir.resolve("go");
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(url).user(EmbeddedPostgresServer.USER).build();
        Connection sampling = DriverManager.getConnection(url)) {
      List<ChildJvm> children = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        children.add(ChildJvm.start(dir, HardLimitMain.class, url, EmbeddedPostgresServer.USER, Integer.toString(p),
            base.toString(), start.toString(), go.toString(), Integer.toString(calls), Boolean.toString(overshoot)));
      }
      for (ChildJvm child : children) {
        child.awaitLine("READY");
      }
      HeldSampler sampler = new HeldSampler(sampling, "tokenwatch_", PG_NOW_NS,
          Duration.between(start, base).toNanos(), window);
      Thread samplerThread = new Thread(sampler, "sampler");
      samplerThread.start();
      Files.createFile(go);
      long began = System.nanoTime();
      HardLimitWorkload.Totals totals = HardLimitWorkload.NONE;
      for (ChildJvm child : children) {
        List<String> lines = child.awaitSuccess();
        assertThat(lines).contains("DONE");
        for (String line : lines) {
          if (line.startsWith("ELAPSED ")) {
            System.out.println("hard limit child: " + line);
          }
          if (line.startsWith("TOTALS ")) {
            totals = totals.plus(HardLimitWorkload.Totals.parse(line));
          }
        }
      }
      sampler.stop();
      samplerThread.join();
      System.out.printf("hard limit, 4 processes: %d ms, %s, %d samples%n", (System.nanoTime() - began) / 1_000_000,
          totals.line(), sampler.samples.size());
      assertThat(sampler.failure).as("sampler failure").isNull();

      long committed = store.windowTotals(window).totalTokens();
      assertThat(store.query(window.query()).total().totalTokens()).as("the ledger").isEqualTo(committed);
      assertNoReservationLeftAfterExpiry(store, clock, window, sampling);
      return new Run(totals, committed, sampler);
    }
  }

  /**
   * Once the abandoned reservations expired nothing is held, and the next reserve deletes their rows
   * (those that later reserves of the workload did not delete already).
   */
  static void assertNoReservationLeftAfterExpiry(JdbcUsageStore store, Clock clock, BudgetWindow window,
      Connection connection) throws Exception {
    Thread.sleep(HardLimitWorkload.SHORT_TIMEOUT.toMillis() + 100);
    Instant now = clock.now();
    assertThat(store.reserved(window, BudgetUnit.TOKENS, now)).isEqualTo(OpenReservations.NONE);
    store.reserve(new ReservationRequest("final", now.plusSeconds(60), List.of()), now);
    assertThat(store.release("final", now)).isTrue();
    assertThat(rows(connection, "tokenwatch_ledger_reservations")).as("reservations left").isZero();
    assertThat(rows(connection, "tokenwatch_ledger_reservation_holds")).as("holds left").isZero();
  }

  private static long rows(Connection connection, String table) throws Exception {
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      long n = rs.getLong(1);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      return n;
    }
  }
}
