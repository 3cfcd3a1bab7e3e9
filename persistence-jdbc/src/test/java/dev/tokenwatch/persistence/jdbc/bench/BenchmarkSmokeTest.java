package dev.tokenwatch.persistence.jdbc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Proves every benchmark runs (a few milliseconds each, in this JVM); figures come from {@link JdbcBenchmarkMain}. */
class BenchmarkSmokeTest {

  @Test
  void everyBenchmarkRunsOnBothDatabases() throws Exception {
    String table = JdbcBenchmarkMain.smoke();
    assertThat(table).contains("| h2 | record of 1 event |", "| postgresql | 4 writers, record of 1 event |");
  }

  @Test
  void theReservationBenchmarkRunsOnBothDatabases() throws Exception {
    assertThat(JdbcReservationBenchmark.smoke()).contains("| h2 | store: reserve + commit vs record |",
        "| postgresql | tracker: reserve + commit vs track |");
  }

  @Test
  void theReportBenchmarkRunsOnBothDatabases() throws Exception {
    assertThat(ReportBenchmarkMain.smoke("h2")).contains("report daily --by model, whole ledger", "Plan of");
    assertThat(ReportBenchmarkMain.smoke("postgresql")).contains("kept window totals (status)", "Index");
  }
}
