package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.audit.FileAuditTrail;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.persistence.file.FileUsageStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: measures what reconciling the audit trail costs when a command opens a file store and
 * trail of {@code args[1]} events in directory {@code args[0]}: in-process, {@code
 * reconcileAndWatch} with no dead process's file (the normal open) and with one left open by a
 * killed process (1,000 events, stored or not); whole-process, {@code tokenwatch status} with and
 * without such a file. Prints the medians.
 */
public final class ReconcileCostMain {

  private ReconcileCostMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    Path state = dir.resolve("state/tokenwatch");
    Path config = Files.writeString(dir.resolve("config.yaml"), """
        budget:
          name: cost
          limit: 1000000000000
        store:
          type: file
          path: %s
        notifiers: []
        """.formatted(dir.resolve("usage")));
    Instant now = Instant.now();
    List<TokenUsageEvent> last = List.of();
    try (FileUsageStore store = new FileUsageStore(dir.resolve("usage")); FileAuditTrail trail = FileAuditTrail.in(state)) {
      UsageStore watched = trail.reconcileAndWatch(store, now);
      TokenTracker tracker = TokenTracker.builder(TokenBudget.of(1_000_000_000_000L, BudgetPeriod.MONTHLY))
          .store(watched).auditTrail(trail).build();
      for (int from = 0; from < count; from += 1_000) {
        List<TokenUsageEvent> batch = new ArrayList<>();
        for (int i = from; i < from + 1_000; i++) {
          batch.add(TokenUsageEvent.builder("claude-sonnet-4").inputTokens(1 + i % 97).outputTokens(i % 13)
              .requestId("msg_" + i).timestamp(now.minusSeconds(count - i)).build());
        }
        tracker.trackAll(batch);
        last = batch;
      }
      long[] fast = new long[200];
      for (int i = 0; i < fast.length; i++) {
        long t = System.nanoTime();
        trail.reconcileAndWatch(store, now);
        fast[i] = System.nanoTime() - t;
      }
      System.out.printf("in-process, nothing to resolve: median %.1f us%n", median(fast) / 1e3);
      for (boolean stored : new boolean[] {true, false}) {
        long[] slow = new long[3];
        for (int i = 0; i < slow.length; i++) {
          deadFile(state, i + (stored ? 0 : 10), stored ? last : shifted(last));
          long t = System.nanoTime();
          trail.reconcileAndWatch(store, now);
          slow[i] = System.nanoTime() - t;
        }
        System.out.printf("in-process, one dead operation of 1,000 events %s: median %.0f ms%n",
            stored ? "in the store" : "not in the store", median(slow) / 1e6);
      }
    }
    for (boolean dead : new boolean[] {false, true}) {
      long[] runs = new long[5];
      for (int i = 0; i < runs.length; i++) {
        if (dead) {
          deadFile(state, 20 + i, last);
        }
        long t = System.nanoTime();
        CliProcess.Result result = CliProcess.run(dir, config, "status");
        runs[i] = System.nanoTime() - t;
        if (result.exitCode() != 0) {
          throw new AssertionError(result.err());
        }
      }
      System.out.printf("whole process, tokenwatch status, %s: median %.0f ms (%s)%n",
          dead ? "one dead operation of 1,000 stored events" : "nothing to resolve", median(runs) / 1e6,
          Arrays.toString(Arrays.stream(runs).map(n -> n / 1_000_000).toArray()));
    }
  }

  /** A pending file of a process that no longer runs (a pid above Linux's largest), one operation open. */
  private static void deadFile(Path state, int n, List<TokenUsageEvent> events) throws Exception {
    StringBuilder line = new StringBuilder("{\"op\":1,\"events\":[");
    for (int i = 0; i < events.size(); i++) {
      TokenUsageEvent e = events.get(i);
      line.append(i == 0 ? "" : ",").append("{\"model\":\"").append(e.model()).append("\",\"tokens\":")
          .append(e.totalTokens()).append(",\"inputTokens\":").append(e.inputTokens()).append(",\"outputTokens\":")
          .append(e.outputTokens()).append(",\"cacheCreationTokens\":0,\"cacheReadTokens\":0,\"timestamp\":\"")
          .append(e.timestamp()).append("\",\"requestId\":\"").append(e.requestId()).append("\"}");
    }
    line.append("]}\n");
    Path pending = Files.createDirectories(state.resolve("audit.pending"));
    Files.writeString(pending.resolve("999999999-1-" + n + ".jsonl"), line, StandardCharsets.UTF_8);
  }

  private static List<TokenUsageEvent> shifted(List<TokenUsageEvent> events) {
    return events.stream().map(e -> TokenUsageEvent.builder(e.model()).inputTokens(e.inputTokens() + 1)
        .outputTokens(e.outputTokens()).requestId(e.requestId() + "-new").timestamp(e.timestamp()).build()).toList();
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
