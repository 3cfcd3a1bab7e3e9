package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes on one H2 file. H2 opens a file database in one process at a time (the OS lock
 * on the file); a process that finds it open waits for it up to the connect timeout and is then
 * refused with a message saying what to use instead, never an H2 stack trace.
 */
class H2SeveralProcessesTest {

  @TempDir
  Path dir;

  /**
   * The reproduction, scaled down: 4 shell loops of short-lived processes (each opens the
   * store, records one event, closes it and exits, like {@code tokenwatch track}) on one file.
   * Every call succeeds, each waiting its turn; the totals are exact.
   */
  @Test
  void shortLivedProcessesTakeTurnsAndEveryRecordCounts() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("db/shared").toAbsolutePath();
    int loops = 4;
    int processesPerLoop = 4;
    List<CompletableFuture<List<String>>> runs = new ArrayList<>();
    for (int w = 0; w < loops; w++) {
      int writer = w;
      runs.add(CompletableFuture.supplyAsync(() -> {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < processesPerLoop; i++) {
          try {
            lines.addAll(ChildJvm.start(dir, H2CyclesMain.class, url, Integer.toString(writer), Integer.toString(i),
                "1").awaitSuccess());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
        return lines;
      }, Executors.newSingleThreadExecutor()));
    }
    for (CompletableFuture<List<String>> run : runs) {
      assertThat(run.get(240, TimeUnit.SECONDS)).filteredOn(l -> l.startsWith("OK ")).hasSize(processesPerLoop);
    }
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(url).user("sa").build()) {
      Counts totals = store.query(UsageQuery.all()).total();
      assertThat(totals.calls()).isEqualTo((long) loops * processesPerLoop);
      assertThat(totals.totalTokens()).isEqualTo(10L * loops * processesPerLoop);
    }
  }

  @Test
  void aSecondProcessWhileTheFirstKeepsItOpenIsRefusedAfterTheTimeoutWithAClearMessage() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("db/held").toAbsolutePath();
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(url).user("sa").build()) {
      long start = System.nanoTime();
      List<String> lines = ChildJvm.start(dir, OpenOnceMain.class, url, "1000").awaitSuccess();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      String output = String.join("\n", lines);
      assertThat(output)
          .contains("REFUSED")
          .contains("the H2 database " + dir.resolve("db/held.mv.db").toAbsolutePath() + " is in use by another process")
          .contains("waited")
          .contains("use the file store or PostgreSQL for several processes")
          .doesNotContain("org.h2", "at dev.", "SQL statement");
      assertThat(took).as("refused soon after the 1 s timeout (JVM start included)").isLessThan(Duration.ofSeconds(15));
      assertThat(store.query(UsageQuery.all()).total().calls()).isZero();
    }
  }

  /** {@code url timeoutMillis}: opens the store once; prints {@code OPENED}, or {@code REFUSED <message>}. */
  public static final class OpenOnceMain {
    public static void main(String[] args) {
      try (JdbcUsageStore store = JdbcUsageStore.builder().url(args[0]).user("sa")
          .connectTimeout(Duration.ofMillis(Long.parseLong(args[1]))).build()) {
        System.out.println("OPENED");
      } catch (JdbcUsageStoreException e) {
        System.out.println("REFUSED " + e.getMessage());
      }
    }
  }
}
