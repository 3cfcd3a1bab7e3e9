package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.port.RecordResult;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM records from three threads at once (group commit) and prints each acknowledged id; the
 * test kills it with SIGKILL ({@link ProcessHandle#destroyForcibly()} on Linux) at random points,
 * eight times. With compaction every 700 events or 32 KiB, some kills land during a compaction.
 */
class CrashTest {

  private static final int ROUNDS = 8;
  private static final int THREADS = 3;

  @TempDir
  Path directory;

  @Test
  @Timeout(value = 170, unit = TimeUnit.SECONDS)
  void everyAcknowledgedEventSurvivesSigkillDuringConcurrentRecording() throws Exception {
    Path state = directory.resolve("state");
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Set<String> acknowledged = new LinkedHashSet<>();
    for (int round = 0; round < ROUNDS; round++) {
      Process child = ChildJvm.start("crash", state.toString(), String.valueOf(round), String.valueOf(THREADS));
      int killAfter = 30 + random.nextInt(1_200);
      try (BufferedReader out = ChildJvm.stdout(child)) {
        int seen = 0;
        String line;
        while ((line = out.readLine()) != null) {
          assertThat(line).as("child output (seed %d)", seed).startsWith("ACK ");
          acknowledged.add(line.substring(4));
          if (++seen == killAfter) {
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of the
            // pipe, losing acknowledgements the child printed before it died.
            child.toHandle().destroyForcibly();
          }
        }
      }
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    }

    try (FileUsageStore store = StoreChild.open(state)) {
      Counts before = store.windowTotals(StoreChild.WINDOW);
      // Every acknowledged event is there; at most a batch in flight per thread per kill more.
      assertThat(before.calls()).as("seed %d", seed)
          .isBetween((long) acknowledged.size(), (long) acknowledged.size() + ROUNDS * THREADS * 3);
      assertThat(store.query(UsageQuery.all()).total()).isEqualTo(before);

      List<TokenUsageEvent> resend = new ArrayList<>();
      for (String id : acknowledged) {
        resend.add(StoreChild.event(id, Integer.parseInt(id.substring(id.lastIndexOf('-') + 1))));
      }
      RecordResult again = store.record(resend, List.of(StoreChild.WINDOW));
      assertThat(again.duplicates()).as("every acknowledged id is known (seed %d)", seed)
          .isEqualTo(acknowledged.size());
      assertThat(again.recorded() + again.replaced()).isZero();
      assertThat(store.windowTotals(StoreChild.WINDOW)).isEqualTo(before);
    }
  }
}
