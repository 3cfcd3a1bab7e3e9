package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.ledger.Counts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes on one H2 file database: this JVM keeps the store open (as {@code ingest --follow}
 * would) while a child JVM opens the same file, which works through H2's AUTO_SERVER mode.
 */
class H2TwoProcessTest {

  private static final int COUNT = 100;

  @TempDir
  Path dir;

  @Test
  void secondProcessSharesTheOpenDatabase() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("shared").toAbsolutePath();
    long limit = Workload.expectedTotal(2, COUNT);
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(url).user("sa").build()) {
      ChildJvm child = ChildJvm.start(dir, WorkloadMain.class, url, "sa", "-", "1", Integer.toString(COUNT),
          Long.toString(limit));
      List<Double> won = new ArrayList<>(Workload.run(store, 0, COUNT, limit));
      List<String> lines = child.awaitSuccess();
      assertThat(lines).contains("DONE");
      lines.stream().filter(l -> l.startsWith("WON ")).map(l -> Double.valueOf(l.substring(4))).forEach(won::add);

      Counts totals = store.windowTotals(Workload.WINDOW);
      assertThat(totals.totalTokens()).isEqualTo(limit);
      assertThat(totals.calls()).isEqualTo(Workload.expectedCalls(2, COUNT));
      assertThat(store.query(Workload.WINDOW.query()).total()).isEqualTo(totals);
      assertThat(won).containsExactlyInAnyOrder(0.5, 0.7, 0.8, 1.0);
    }
  }
}
