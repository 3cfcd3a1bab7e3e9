package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.BudgetExceededException;
import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.Reservation;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.port.Clock;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * The workload of the hard-limit tests: callers reserving random estimates against one hard budget
 * and committing (actual at most the estimate, or in the overshoot variant sometimes more), releasing
 * some, and leaving some to expire (made through a tracker with a short reservation timeout, never
 * settled). Each caller sums what it committed, so the test can compare with the store.
 */
final class HardLimitWorkload {

  static final long LIMIT = 150_000;
  static final String MODEL = "claude-sonnet-4";
  /** The timeout of the reservations that are left to expire. */
  static final Duration SHORT_TIMEOUT = Duration.ofMillis(1_500);

  /** What callers did; every figure in tokens or calls. */
  record Totals(long committed, long excess, int granted, int refused, int released, int abandoned) {
    Totals plus(Totals o) {
      return new Totals(committed + o.committed, excess + o.excess, granted + o.granted, refused + o.refused,
          released + o.released, abandoned + o.abandoned);
    }

    String line() {
      return "TOTALS " + committed + " " + excess + " " + granted + " " + refused + " " + released + " " + abandoned;
    }

    static Totals parse(String line) {
      String[] p = line.split(" ");
      return new Totals(Long.parseLong(p[1]), Long.parseLong(p[2]), Integer.parseInt(p[3]), Integer.parseInt(p[4]),
          Integer.parseInt(p[5]), Integer.parseInt(p[6]));
    }
  }

  static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0);

  private HardLimitWorkload() {}

  static TokenBudget budget() {
    return TokenBudget.builder().name("hard").limit(LIMIT).period(BudgetPeriod.MONTHLY).zone(ZoneOffset.UTC)
        .mode(BudgetMode.HARD).build();
  }

  /**
   * A clock at noon of the 15th of this month (far from a period's edge) as of wall instant {@code
   * start}, running with the wall clock: the same in every process given the same two instants.
   */
  static Clock clock(Instant base, Instant start) {
    return () -> base.plus(Duration.between(start, Instant.now()));
  }

  static Instant base() {
    return java.time.LocalDate.now(ZoneOffset.UTC).withDayOfMonth(15).atTime(12, 0).toInstant(ZoneOffset.UTC);
  }

  /** The budget's window at {@code base} (its month). */
  static BudgetWindow window(Instant base) {
    java.time.LocalDate day = base.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    return new BudgetWindow("hard", start, day.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant(), UsageFilter.ANY);
  }

  static TokenTracker tracker(UsageStore store, Clock clock, Duration timeout) {
    return TokenTracker.builder(List.of(budget())).store(store).clock(clock).reservationTimeout(timeout).build();
  }

  /**
   * Runs {@code threads} callers of {@code calls} reservations each: 80% committed (actual 0 to the
   * estimate; with {@code overshoot}, every fourth commit up to 1,000 tokens above it), 10% released,
   * 10% reserved through {@code abandoning} and left to expire. Request ids start with {@code ids}.
   */
  static Totals run(TokenTracker tracker, TokenTracker abandoning, Clock clock, int threads, int calls, long seed,
      boolean overshoot, String ids) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Totals>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        SplittableRandom random = new SplittableRandom(seed * 1_000 + t);
        String prefix = ids + "-" + t + "-";
        futures.add(pool.submit(() -> caller(tracker, abandoning, clock, calls, random, overshoot, prefix)));
      }
      Totals sum = NONE;
      for (Future<Totals> f : futures) {
        sum = sum.plus(f.get());
      }
      return sum;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Totals caller(TokenTracker tracker, TokenTracker abandoning, Clock clock, int calls,
      SplittableRandom random, boolean overshoot, String prefix) {
    long committed = 0;
    long excess = 0;
    int granted = 0;
    int refused = 0;
    int released = 0;
    int abandoned = 0;
    for (int i = 0; i < calls; i++) {
      long estimate = random.nextLong(100, 3_000);
      int action = random.nextInt(10);
      Reservation reservation;
      try {
        reservation = (action == 9 ? abandoning : tracker).reserve(MODEL, estimate);
      } catch (BudgetExceededException e) {
        refused++;
        continue;
      }
      granted++;
      // The LLM call.
      LockSupport.parkNanos(random.nextLong(200_000, 2_000_000));
      if (action == 9) {
        abandoned++;
      } else if (action == 8) {
        reservation.release();
        released++;
      } else {
        long actual = overshoot && i % 4 == 0 ? estimate + random.nextLong(1, 1_000) : random.nextLong(0, estimate + 1);
        TokenUsageEvent event = TokenUsageEvent.builder(MODEL).inputTokens(actual / 3).outputTokens(actual - actual / 3)
            .timestamp(clock.now()).requestId(prefix + i).build();
        reservation.commit(event);
        committed += actual;
        excess += Math.max(0, actual - estimate);
      }
    }
    return new Totals(committed, excess, granted, refused, released, abandoned);
  }
}
