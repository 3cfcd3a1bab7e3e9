package dev.tokenwatch.ingest;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Ingests a corpus directory into an in-memory tracker and prints the figures the large-corpus test
 * checks; run by that test in a child JVM with a small heap.
 */
public final class LargeCorpusMain {

  private LargeCorpusMain() {}

  public static void main(String[] args) {
    TokenTracker tracker = TokenTracker.create(TokenBudget.of(Long.MAX_VALUE / 4, BudgetPeriod.MONTHLY), alert -> {});
    IngestSummary s = Ingestor.builder(tracker).stateDirectory(Path.of(args[1])).build().ingest(List.of(args[0]));
    long total = tracker.query(dev.tokenwatch.domain.ledger.UsageQuery.all()).total().totalTokens();
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println("total=" + total + " lines=" + s.lines() + " malformed=" + s.malformedLines()
        + " recorded=" + s.eventsRecorded() + " tokensAdded=" + s.tokensAdded() + " peakHeap=" + peak
        + " mbps=" + Math.round(s.bytesPerSecond() / 1e6));
  }
}
