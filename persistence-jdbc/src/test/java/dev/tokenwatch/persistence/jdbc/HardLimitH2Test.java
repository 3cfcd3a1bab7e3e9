package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.port.Clock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hard-limit workload on H2 (one process by design: see the README), as 16 threads on one
 * store: committed plus reserved never passes the limit in any sample, totals exact, nothing left
 * once the abandoned reservations expired.
 */
class HardLimitH2Test {

  @TempDir
  Path dir;

  @Test
  void sixteenThreadsNeverPassTheHardLimitAndTotalsAreExact() throws Exception {
    Instant base = HardLimitWorkload.base();
    Instant start = Instant.now();
    Clock clock = HardLimitWorkload.clock(base, start);
    BudgetWindow window = HardLimitWorkload.window(base);
    String url = "jdbc:h2:file:" + dir.resolve("usage").toAbsolutePath();
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(url).user("sa").password("").poolSize(6).build();
        Connection sampling = store.dataSource().getConnection()) {
      try (Statement st = sampling.createStatement()) {
        st.execute("CREATE ALIAS wall_nanos FOR '" + HardLimitMain.class.getName() + ".wallNanos'");
      }
      sampling.commit();
      TokenTracker tracker = HardLimitWorkload.tracker(store, clock, TokenTracker.DEFAULT_RESERVATION_TIMEOUT);
      TokenTracker abandoning = HardLimitWorkload.tracker(store, clock, HardLimitWorkload.SHORT_TIMEOUT);
      HeldSampler sampler = new HeldSampler(sampling, "tokenwatch_", "wall_nanos()",
          Duration.between(start, base).toNanos(), window);
      Thread samplerThread = new Thread(sampler, "sampler");
      samplerThread.start();
      HardLimitWorkload.Totals totals = HardLimitWorkload.run(tracker, abandoning, clock, 16, 30, 7, false, "h2");
      sampler.stop();
      samplerThread.join();

      assertThat(sampler.failure).as("sampler failure").isNull();
      assertThat(sampler.over(HardLimitWorkload.LIMIT)).as("samples over the limit").isEmpty();
      assertThat(sampler.samples.size()).as("samples").isGreaterThan(20);
      assertThat(sampler.withReservations()).as("samples with open reservations").isPositive();
      assertThat(totals.refused()).as("refused reservations: the budget was reached").isPositive();
      assertThat(totals.abandoned()).isPositive();
      long committed = store.windowTotals(window).totalTokens();
      assertThat(committed).isEqualTo(totals.committed()).isLessThanOrEqualTo(HardLimitWorkload.LIMIT);
      assertThat(store.query(window.query()).total().totalTokens()).isEqualTo(committed);
      HardLimitProcessesTest.assertNoReservationLeftAfterExpiry(store, clock, window, sampling);
    }
  }
}
