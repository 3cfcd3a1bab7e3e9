package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.port.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One process of {@code HardLimitProcessesTest}: {@code url user process base start go-file calls
 * overshoot}. Runs {@link HardLimitWorkload} with 8 threads once the go file exists and prints its
 * {@code TOTALS} line, then {@code DONE}.
 */
public final class HardLimitMain {

  static final int THREADS = 8;

  private HardLimitMain() {}

  /** The wall clock in epoch nanoseconds: the H2 test's sampler calls it (an alias) while its statement runs. */
  public static long wallNanos() {
    return ReservationRows.nanos(Instant.now());
  }

  public static void main(String[] args) throws Exception {
    int process = Integer.parseInt(args[2]);
    Clock clock = HardLimitWorkload.clock(Instant.parse(args[3]), Instant.parse(args[4]));
    Path go = Path.of(args[5]);
    int calls = Integer.parseInt(args[6]);
    boolean overshoot = Boolean.parseBoolean(args[7]);
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(args[0]).user(args[1]).poolSize(4).build()) {
      TokenTracker tracker = HardLimitWorkload.tracker(store, clock, TokenTracker.DEFAULT_RESERVATION_TIMEOUT);
      TokenTracker abandoning = HardLimitWorkload.tracker(store, clock, HardLimitWorkload.SHORT_TIMEOUT);
      System.out.println("READY");
      while (!Files.exists(go)) {
        Thread.sleep(5);
      }
      long began = System.nanoTime();
      HardLimitWorkload.Totals totals = HardLimitWorkload.run(tracker, abandoning, clock, THREADS, calls, process,
          overshoot, "p" + process);
      System.out.println(totals.line());
      System.out.println("ELAPSED " + (System.nanoTime() - began) / 1_000_000 + " ms");
      System.out.println("DONE");
    }
  }
}
