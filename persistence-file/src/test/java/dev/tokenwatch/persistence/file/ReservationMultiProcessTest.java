package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.port.Clock;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child JVMs ({@link ReservationChild}) reserve, commit, release and abandon reservations from
 * several threads each against one hard budget in one store directory, while this JVM samples the
 * store: committed plus reserved, read from one caught-up state, never passes the limit (with actual
 * usage above the estimate, by at most the sum of the excess); at the end the committed total is
 * exactly what the children report and nothing is left reserved.
 */
class ReservationMultiProcessTest {

  @TempDir
  Path directory;

  @Test
  @Timeout(value = 170, unit = TimeUnit.SECONDS)
  void committedPlusReservedNeverPassesTheLimitAcrossProcesses() throws Exception {
    Outcome outcome = run(4, 8, 40, false);

    assertThat(outcome.maxSeen).as("committed + reserved, at most").isLessThanOrEqualTo(ReservationChild.LIMIT);
    assertThat(outcome.over).isZero();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void actualUsageAboveTheEstimateOvershootsByAtMostTheExcess() throws Exception {
    Outcome outcome = run(2, 4, 60, true);

    assertThat(outcome.over).as("the children committed more than estimated").isPositive();
    assertThat(outcome.maxSeen).isLessThanOrEqualTo(ReservationChild.LIMIT + outcome.over);
    assertThat(outcome.committed).isLessThanOrEqualTo(ReservationChild.LIMIT + outcome.over);
  }

  private record Outcome(long committed, long over, long maxSeen) {}

  private Outcome run(int processes, int threads, int calls, boolean overshoot) throws Exception {
    Path state = directory.resolve("state");
    long offset = Duration.between(ReservationChild.JAN.plus(Duration.ofDays(9)), Instant.now()).toMillis();
    Clock clock = ReservationChild.clock(offset);
    List<String> problems = new CopyOnWriteArrayList<>();
    AtomicLong committed = new AtomicLong();
    AtomicLong over = new AtomicLong();
    AtomicLong granted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    try (FileUsageStore store = StoreChild.open(state)) {
      List<Process> children = new ArrayList<>();
      List<Thread> readers = new ArrayList<>();
      for (int p = 0; p < processes; p++) {
        Process child = ChildJvm.start(ReservationChild.class, state.toString(), Long.toString(offset),
            Long.toString(p + 1), Integer.toString(threads), Integer.toString(calls), Boolean.toString(overshoot));
        children.add(child);
        Thread reader = new Thread(() -> {
          try (BufferedReader out = ChildJvm.stdout(child)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
              String[] parts = line.split(" ");
              if (parts[0].equals("COMMITTED") && parts.length == 8) {
                committed.addAndGet(Long.parseLong(parts[1]));
                over.addAndGet(Long.parseLong(parts[3]));
                granted.addAndGet(Long.parseLong(parts[5]));
                refused.addAndGet(Long.parseLong(parts[7]));
              } else {
                problems.add(line);
              }
            }
          } catch (Exception e) {
            problems.add(e.toString());
          }
        });
        reader.start();
        readers.add(reader);
      }

      long maxSeen = 0;
      int samples = 0;
      int withReservations = 0;
      while (children.stream().anyMatch(Process::isAlive)) {
        long[] sample = store.reservationSample(ReservationChild.WINDOW, BudgetUnit.TOKENS, clock);
        maxSeen = Math.max(maxSeen, sample[0] + sample[1]);
        samples++;
        withReservations += sample[1] > 0 ? 1 : 0;
        Thread.sleep(3);
      }
      for (Process child : children) {
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
      }
      for (Thread reader : readers) {
        reader.join();
      }
      assertThat(problems).isEmpty();
      assertThat(samples).as("samples taken").isGreaterThan(50);
      assertThat(withReservations).as("samples that saw open reservations").isGreaterThan(10);
      assertThat(refused.get()).as("reservations refused at the limit").isPositive();
      assertThat(granted.get()).isPositive();

      // The abandoned reservations expire after the short timeout; settled ones (made with a long
      // timeout) must be gone already.
      Thread.sleep(ReservationChild.SHORT_TIMEOUT.toMillis() + 100);
      long[] last = store.reservationSample(ReservationChild.WINDOW, BudgetUnit.TOKENS, clock);
      assertThat(last[1]).as("reserved after every call ended").isZero();
      assertThat(last[2]).as("reservations open after every call ended").isZero();
      assertThat(last[0]).as("committed").isEqualTo(committed.get());
      assertThat(store.windowTotals(ReservationChild.WINDOW).totalTokens()).isEqualTo(committed.get());
      assertThat(store.query(UsageQuery.all()).total().totalTokens()).isEqualTo(committed.get());
      return new Outcome(committed.get(), over.get(), maxSeen);
    }
  }
}
