package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
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
 * Independent store instances, each with its own pool, writing into one PostgreSQL ledger and one
 * budget window at once, with overlapping request ids (each shared id sent by every writer, the
 * larger records replacing the smaller): as threads of this JVM and as separate JVMs. The window's
 * totals and the ledger's must be exact, and every threshold won once.
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
    long calls = Workload.expectedCalls(writers, COUNT);
    Counts kept = store.windowTotals(Workload.WINDOW);
    assertThat(kept.totalTokens()).isEqualTo(limit);
    assertThat(kept.calls()).isEqualTo(calls);
    assertThat(kept.inputTokens() + kept.outputTokens()).isEqualTo(limit);
    Counts ledger = store.query(Workload.WINDOW.query()).total();
    assertThat(ledger).as("the ledger agrees with the kept totals").isEqualTo(kept);
    long byModel = store.query(UsageQuery.all().groupBy(Dimension.MODEL, Dimension.PROJECT)).rows().stream()
        .mapToLong(r -> r.counts().totalTokens()).sum();
    assertThat(byModel).as("the rollups agree with the events").isEqualTo(limit);
    assertThat(won).as("each threshold won exactly once").containsExactlyInAnyOrder(0.5, 0.7, 0.8, 1.0);
    assertThat(store.claimedThresholds(Workload.WINDOW)).containsExactly(0.5, 0.7, 0.8, 1.0);
    assertThat(store.history(UsageFilter.ANY, 100_000)).hasSize((int) calls);
  }
}
