package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.RecordResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The main class of the child JVMs started by {@link MultiProcessTest} and {@link CrashTest}.
 *
 * <ul>
 *   <li>{@code multi <dir> <child> <count> <limit>}: records {@code count} events with ids
 *       {@code p<child>-<i>} (15 tokens each; singles, and batches of 5 every tenth step), re-sends
 *       some as duplicates, and after each write claims every threshold the current total has
 *       reached, printing {@code WIN <threshold>} for each claim it wins; {@code DONE} at the end.
 *   <li>{@code shared <dir> <child> <count>}: records the same ids {@code s<i>} as every other
 *       child, with {@code 10 + child} input tokens, so each id is counted once and ends at the
 *       largest child's size; prints {@code RESULT <recorded> <replaced> <duplicates>} at the end.
 *   <li>{@code crash <dir> <round>}: records single events {@code c<round>-<i>} forever, printing
 *       {@code ACK <id>} after each call returns, until it is killed.
 * </ul>
 */
public final class StoreChild {

  static final String BUDGET = "shared";
  static final Instant PERIOD = Instant.parse("2026-01-01T00:00:00Z");
  static final double[] THRESHOLDS = {0.5, 0.7, 0.8, 1.0};
  static final int HISTORY = 50;
  static final long COMPACT_AFTER = 32 * 1024;

  private StoreChild() {}

  static TokenUsageEvent event(String id, int i) {
    return TokenUsageEvent.builder("model-" + (i % 3)).inputTokens(10).outputTokens(5)
        .timestamp(PERIOD.plusSeconds(i)).requestId(id).build();
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[1]);
    try (FileUsageStore store = FileUsageStore.builder(dir).compactAfterBytes(COMPACT_AFTER).build()) {
      if (args[0].equals("multi")) {
        multi(store, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]));
      } else if (args[0].equals("shared")) {
        shared(store, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      } else {
        crash(store, args[2]);
      }
    }
  }

  private static void multi(FileUsageStore store, int child, int count, long limit) {
    int i = 0;
    while (i < count) {
      int size = i % 10 == 0 ? Math.min(5, count - i) : 1;
      List<ChargedEvent> batch = new ArrayList<>();
      for (int k = 0; k < size; k++, i++) {
        batch.add(new ChargedEvent(event("p" + child + "-" + i, i), PERIOD));
      }
      RecordResult result = store.record(BUDGET, PERIOD, batch, HISTORY);
      if (result.recorded() != size) {
        System.out.println("ERROR recorded " + result + " for a batch of " + size + " new ids");
      }
      if (i % 7 == 0) {
        RecordResult again = store.record(BUDGET, PERIOD, batch, HISTORY);
        if (again.duplicates() != size || again.recorded() != 0) {
          System.out.println("ERROR resend gave " + again);
        }
      }
      for (double t : THRESHOLDS) {
        if ((double) result.currentPeriodUsed() / limit >= t && store.claimThreshold(BUDGET, PERIOD, t)) {
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
          .timestamp(PERIOD.plusSeconds(i)).requestId("s" + i).build();
      RecordResult result = store.record(BUDGET, PERIOD, List.of(new ChargedEvent(event, PERIOD)), HISTORY);
      recorded += result.recorded();
      replaced += result.replaced();
      duplicates += result.duplicates();
    }
    System.out.println("RESULT " + recorded + " " + replaced + " " + duplicates);
    System.out.flush();
  }

  private static void crash(FileUsageStore store, String round) {
    for (int i = 0; i < 1_000_000; i++) {
      String id = "c" + round + "-" + i;
      store.record(BUDGET, PERIOD, List.of(new ChargedEvent(event(id, i), PERIOD)), HISTORY);
      System.out.println("ACK " + id);
      System.out.flush();
    }
  }
}
