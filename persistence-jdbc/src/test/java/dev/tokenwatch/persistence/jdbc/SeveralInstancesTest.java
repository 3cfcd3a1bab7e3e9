package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.port.PeriodTotals;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Independent store instances, each with its own pool, writing into one PostgreSQL budget at once:
 * as threads of this JVM and as separate JVMs. Totals must be exact and every threshold won once.
 */
class SeveralInstancesTest {

  private static final int COUNT = 200;

  @TempDir
  Path dir;

  @Test
  void fourInstancesInOneJvmShareOneBudget() throws Exception {
    String url = EmbeddedPostgresServer.newDatabase("instances");
    int writers = 4;
    long limit = Workload.expectedTotal(writers, COUNT);
    List<JdbcUsageStore> stores = new ArrayList<>();
    ConcurrentLinkedQueue<Double> won = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int i = 0; i < writers; i++) {
        stores.add(JdbcUsageStore.builder().url(url).user(EmbeddedPostgresServer.USER).poolSize(2).build());
      }
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        int writer = i;
        futures.add(pool.submit(() -> won.addAll(Workload.run(stores.get(writer), writer, COUNT, limit))));
      }
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
      assertShared(stores.get(0), writers, limit, new ArrayList<>(won));
    } finally {
      pool.shutdownNow();
      stores.forEach(JdbcUsageStore::close);
    }
  }

  @Test
  void threeJvmsShareOneBudget() throws Exception {
    String url = EmbeddedPostgresServer.newDatabase("jvms");
    int writers = 3;
    long limit = Workload.expectedTotal(writers, COUNT);
    // Migrate once up front so the children measure concurrency of writes, not of Flyway.
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(url).user(EmbeddedPostgresServer.USER).schema("jvms")
        .build()) {
      List<ChildJvm> children = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        children.add(ChildJvm.start(dir, WorkloadMain.class, url, EmbeddedPostgresServer.USER, "jvms",
            Integer.toString(i), Integer.toString(COUNT), Long.toString(limit)));
      }
      List<Double> won = new ArrayList<>();
      for (ChildJvm child : children) {
        List<String> lines = child.awaitSuccess();
        assertThat(lines).contains("DONE");
        lines.stream().filter(l -> l.startsWith("WON ")).map(l -> Double.valueOf(l.substring(4))).forEach(won::add);
      }
      assertShared(store, writers, limit, won);
    }
  }

  static void assertShared(JdbcUsageStore store, int writers, long limit, List<Double> won) {
    PeriodTotals totals = store.periodTotals(Workload.BUDGET, Workload.PERIOD);
    assertThat(totals.used()).isEqualTo(limit);
    assertThat(totals.calls()).isEqualTo(writers * (long) COUNT + Workload.SHARED_IDS);
    assertThat(totals.models().stream().mapToLong(m -> m.inputTokens() + m.outputTokens()).sum()).isEqualTo(limit);
    assertThat(won).as("each threshold won exactly once").containsExactlyInAnyOrder(0.5, 0.7, 0.8, 1.0);
    assertThat(store.claimedThresholds(Workload.BUDGET, Workload.PERIOD)).containsExactly(0.5, 0.7, 0.8, 1.0);
    assertThat(store.history(Workload.BUDGET, 100_000)).hasSize(writers * COUNT + Workload.SHARED_IDS);
  }
}
