package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.PeriodTotals;
import dev.tokenwatch.domain.port.RecordResult;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM records events and prints each acknowledged id; the test kills it with SIGKILL
 * ({@link ProcessHandle#destroyForcibly()} on Linux) at random points, five times. With the 32 KiB
 * compaction threshold, some kills land during a compaction.
 */
class CrashTest {

  private static final int ROUNDS = 5;

  @TempDir
  Path directory;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everyAcknowledgedEventSurvivesSigkill() throws Exception {
    Path state = directory.resolve("state");
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<String> acknowledged = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      Process child = ChildJvm.start("crash", state.toString(), String.valueOf(round));
      int killAfter = 50 + random.nextInt(400);
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

    try (FileUsageStore store = new FileUsageStore(state)) {
      PeriodTotals before = store.periodTotals(StoreChild.BUDGET, StoreChild.PERIOD);
      // Every acknowledged event is there; at most one unacknowledged one per kill (the child is
      // single-threaded: the call in flight may have reached the disk before the kill).
      assertThat(before.calls()).as("seed %d", seed)
          .isBetween((long) acknowledged.size(), (long) acknowledged.size() + ROUNDS);

      List<ChargedEvent> resend = new ArrayList<>();
      for (String id : acknowledged) {
        int i = Integer.parseInt(id.substring(id.indexOf('-') + 1));
        resend.add(new ChargedEvent(StoreChild.event(id, i), StoreChild.PERIOD));
      }
      RecordResult again = store.record(StoreChild.BUDGET, StoreChild.PERIOD, resend, StoreChild.HISTORY);
      assertThat(again.duplicates()).as("seed %d", seed).isEqualTo(acknowledged.size());
      assertThat(again.recorded() + again.replaced()).isZero();
      assertThat(store.periodTotals(StoreChild.BUDGET, StoreChild.PERIOD)).isEqualTo(before);
    }
  }
}
