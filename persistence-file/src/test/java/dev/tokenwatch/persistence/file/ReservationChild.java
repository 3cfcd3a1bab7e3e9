package dev.tokenwatch.persistence.file;

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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of {@link ReservationMultiProcessTest}: {@code <dir> <clock offset ms> <seed>
 * <threads> <calls per thread> <overshoot: true|false>} runs threads that each reserve a random
 * estimate under the hard budget {@link #BUDGET} and then commit an actual of at most the estimate
 * (with overshoot, a quarter of the commits exceed it), release, or leave the reservation to expire
 * after {@link #SHORT_TIMEOUT}. Reservations that are settled are made by a tracker with a long
 * timeout, so one that a commit or release failed to end would still be open when the parent
 * checks. Prints {@code COMMITTED <tokens> OVER <tokens beyond estimates> GRANTED <n> REFUSED <n>}.
 */
public final class ReservationChild {

  static final long LIMIT = 40_000;
  static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  /** The budget's window while the test runs: the clocks are shifted into January 2026. */
  static final BudgetWindow WINDOW = new BudgetWindow("hard", JAN, Instant.parse("2026-02-01T00:00:00Z"),
      UsageFilter.ANY);
  static final TokenBudget BUDGET = TokenBudget.builder().name("hard").limit(LIMIT).period(BudgetPeriod.MONTHLY)
      .mode(BudgetMode.HARD).build();
  static final Duration SHORT_TIMEOUT = Duration.ofMillis(400);

  private ReservationChild() {}

  /** The clock of every process of one test: the system clock moved back by {@code offsetMillis}. */
  static Clock clock(long offsetMillis) {
    return () -> Instant.now().minusMillis(offsetMillis);
  }

  public static void main(String[] args) throws Exception {
    Clock clock = clock(Long.parseLong(args[1]));
    long seed = Long.parseLong(args[2]);
    int threads = Integer.parseInt(args[3]);
    int calls = Integer.parseInt(args[4]);
    boolean overshoot = Boolean.parseBoolean(args[5]);
    AtomicLong committed = new AtomicLong();
    AtomicLong over = new AtomicLong();
    AtomicLong granted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    List<Throwable> failures = new ArrayList<>();
    try (FileUsageStore store = StoreChild.open(Path.of(args[0]))) {
      TokenTracker settling = TokenTracker.builder(BUDGET).store(store).clock(clock)
          .reservationTimeout(Duration.ofMinutes(5)).build();
      TokenTracker expiring = TokenTracker.builder(BUDGET).store(store).clock(clock)
          .reservationTimeout(SHORT_TIMEOUT).build();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Random random = new Random(seed * 31 + t);
        Thread worker = new Thread(() -> {
          try {
            for (int i = 0; i < calls; i++) {
              long estimate = 50 + random.nextInt(350);
              int action = random.nextInt(20);
              TokenTracker tracker = action < 3 ? expiring : settling;
              Reservation r;
              try {
                r = tracker.reserve("model-x", estimate);
              } catch (BudgetExceededException e) {
                refused.incrementAndGet();
                Thread.sleep(random.nextInt(5));
                continue;
              }
              granted.incrementAndGet();
              if (action < 3) {
                continue; // left to expire
              } else if (action < 6) {
                r.release();
              } else {
                long actual = overshoot && random.nextInt(4) == 0 ? estimate + 1 + random.nextInt(200)
                    : 1 + random.nextInt((int) estimate);
                r.commit(TokenUsageEvent.builder("model-x").inputTokens(actual / 2).outputTokens(actual - actual / 2)
                    .timestamp(clock.now()).build());
                committed.addAndGet(actual);
                over.addAndGet(Math.max(0, actual - estimate));
              }
            }
          } catch (Throwable e) {
            synchronized (failures) {
              failures.add(e);
            }
          }
        });
        worker.start();
        workers.add(worker);
      }
      for (Thread worker : workers) {
        worker.join();
      }
    }
    for (Throwable failure : failures) {
      failure.printStackTrace();
      System.out.println("FAILED " + failure);
    }
    System.out.println("COMMITTED " + committed.get() + " OVER " + over.get() + " GRANTED " + granted.get()
        + " REFUSED " + refused.get());
    System.out.flush();
  }
}
