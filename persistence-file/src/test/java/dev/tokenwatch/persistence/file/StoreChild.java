package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.port.RecordResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The main class of the child JVMs started by {@link MultiProcessTest} and {@link CrashTest}.
 *
 * <ul>
 *   <li>{@code multi <dir> <child> <count> <limit>}: records {@code count} events with ids
 *       {@code p<child>-<i>} (15 tokens each; singles, and batches of 5 every tenth step) charging
 *       {@link #WINDOW}, re-sends some as duplicates, and after each write claims every threshold the
 *       window's total has reached, printing {@code WIN <threshold>} for each claim it wins; {@code
 *       DONE} at the end.
 *   <li>{@code shared <dir> <child> <count>}: records the same ids {@code s<i>} as every other
 *       child, with {@code 10 + child} input tokens, so each id is counted once and ends at the
 *       largest child's size; prints {@code RESULT <recorded> <replaced> <duplicates>} at the end.
 *   <li>{@code crash <dir> <round> <threads>}: records from several threads at once (single events
 *       and batches of 3) {@code c<round>-<thread>-<i>} forever, printing {@code ACK <id>} for each
 *       event once its call returned, until it is killed.
 * </ul>
 */
public final class StoreChild {

  static final Instant PERIOD = Instant.parse("2026-01-01T00:00:00Z");
  static final BudgetWindow WINDOW =
      new BudgetWindow("shared", PERIOD, Instant.parse("2026-02-01T00:00:00Z"), UsageFilter.ANY);
  static final double[] THRESHOLDS = {0.5, 0.7, 0.8, 1.0};
  static final long COMPACT_AFTER_BYTES = 32 * 1024;
  static final int COMPACT_AFTER_EVENTS = 700;

  private StoreChild() {}

  static FileUsageStore open(Path dir) {
    return FileUsageStore.builder(dir).compactAfterBytes(COMPACT_AFTER_BYTES).compactAfterEvents(COMPACT_AFTER_EVENTS)
        .build();
  }

  static TokenUsageEvent event(String id, int i) {
    return TokenUsageEvent.builder("model-" + (i % 3)).inputTokens(10).outputTokens(5)
        .timestamp(PERIOD.plusSeconds(i)).requestId(id).project("proj-" + (i % 2)).build();
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    try (FileUsageStore store = open(dir)) {
      switch (args[0]) {
        case "multi" -> multi(store, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]));
        case "shared" -> shared(store, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        default -> crash(store, args[2], Integer.parseInt(args[3]));
      }
    }
  }

  private static void multi(FileUsageStore store, int child, int count, long limit) {
    int i = 0;
    while (i < count) {
      int size = i % 10 == 0 ? Math.min(5, count - i) : 1;
      List<TokenUsageEvent> batch = new ArrayList<>();
      for (int k = 0; k < size; k++, i++) {
        batch.add(event("p" + child + "-" + i, i));
      }
      RecordResult result = store.record(batch, List.of(WINDOW));
      if (result.recorded() != size) {
        System.out.println("ERROR recorded " + result + " for a batch of " + size + " new ids");
      }
      if (i % 7 == 0) {
        RecordResult again = store.record(batch, List.of(WINDOW));
        if (again.duplicates() != size || again.recorded() != 0) {
          System.out.println("ERROR resend gave " + again);
        }
      }
      long used = result.windowTotals().get(0).totalTokens();
      for (double t : THRESHOLDS) {
        if ((double) used / limit >= t && store.claimThreshold(WINDOW, t)) {
          System.out.println("WIN " + t);
        }
      }
    }
    System.out.println("DONE");
    System.out.flush();
  }

  private static void shared(FileUsageStore store, int child, int count) {
    long recorded = 0;
    long replaced = 0;
    long duplicates = 0;
    for (int i = 0; i < count; i++) {
      TokenUsageEvent event = TokenUsageEvent.builder("model-" + (i % 3)).inputTokens(10 + child).outputTokens(5)
          .timestamp(PERIOD.plusSeconds(i)).requestId("s" + i).session("child-" + child).build();
      RecordResult result = store.record(List.of(event), List.of(WINDOW));
      recorded += result.recorded();
      replaced += result.replaced();
      duplicates += result.duplicates();
    }
    System.out.println("RESULT " + recorded + " " + replaced + " " + duplicates);
    System.out.flush();
  }

  private static void crash(FileUsageStore store, String round, int threads) throws InterruptedException {
    PrintStream out = System.out;
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> {
        for (int i = 0; i < 1_000_000; ) {
          int size = i % 4 == 3 ? 3 : 1;
          List<TokenUsageEvent> batch = new ArrayList<>();
          List<String> ids = new ArrayList<>();
          for (int k = 0; k < size; k++, i++) {
            String id = "c" + round + "-" + thread + "-" + i;
            batch.add(event(id, i));
            ids.add(id);
          }
          store.record(batch, List.of(WINDOW));
          synchronized (out) {
            for (String id : ids) {
              out.println("ACK " + id);
            }
            out.flush();
          }
        }
      });
      worker.start();
      workers.add(worker);
    }
    for (Thread w : workers) {
      w.join();
    }
  }
}
