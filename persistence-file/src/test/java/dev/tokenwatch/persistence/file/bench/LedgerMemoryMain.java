package dev.tokenwatch.persistence.file.bench;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.TimeGrain;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.persistence.file.FileUsageStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory of the file store as the ledger grows: run once per size, each in its own JVM under
 * {@code /usr/bin/time -f %M} for the peak RSS (see the module README for the command).
 *
 * <ul>
 *   <li>{@code ingest <dir> <events>}: records that many events (batches of 1,000, 6 models, 40
 *       projects, a session per 50 events, a tag; spread over 120 days) charging a monthly window;
 *   <li>{@code query <dir>}: {@code report daily --by model} over the whole ledger (in
 *       Europe/Berlin), then the latest 100 events.
 * </ul>
 *
 * Prints the wall and CPU time, the rows, and the peak of the heap's pools (the most the heap ever held).
 */
public final class LedgerMemoryMain {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private LedgerMemoryMain() {}

  public static void main(String[] args) {
    System.out.println(run(args[0], Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 0));
  }

  static String run(String mode, Path dir, int events) {
    long start = System.nanoTime();
    long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    String what;
    try (FileUsageStore store = new FileUsageStore(dir)) {
      if (mode.equals("ingest")) {
        long spread = Duration.ofDays(120).toMillis();
        BudgetWindow month = new BudgetWindow("bench", START, START.plus(Duration.ofDays(31)), UsageFilter.ANY);
        List<TokenUsageEvent> batch = new ArrayList<>(1_000);
        for (int i = 0; i < events; i++) {
          batch.add(TokenUsageEvent.builder("claude-model-" + (i % 6)).inputTokens(1000 + i % 97).outputTokens(300)
              .cacheReadTokens(i % 5000).timestamp(START.plusMillis(i * (spread / Math.max(1, events))))
              .requestId("msg_" + Long.toHexString(i * 0x9E3779B97F4A7C15L)).project("/home/u/proj-" + (i % 40))
              .session("session-" + i / 50).tag("team", "t" + (i % 3)).build());
          if (batch.size() == 1_000 || i == events - 1) {
            store.record(batch, List.of(month));
            batch.clear();
          }
        }
        what = "ingested " + events + " events";
      } else {
        UsageAnswer answer = store.query(UsageQuery.all().per(TimeGrain.DAY, ZoneId.of("Europe/Berlin"))
            .groupBy(Dimension.MODEL));
        int history = store.history(UsageFilter.ANY, 100).size();
        what = "query: " + answer.rows().size() + " rows, " + answer.total().calls() + " calls; history " + history;
      }
    }
    long heapPeak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPeak += pool.getPeakUsage().getUsed();
      }
    }
    // CPU time of this thread as well as wall time: on a loaded machine the wall time mostly measures the neighbours
    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart;
    return String.format("%s in %.2f s (%.2f s CPU of this thread); heap peak %.1f MB", what,
        (System.nanoTime() - start) / 1e9, cpu / 1e9, heapPeak / 1e6);
  }
}
