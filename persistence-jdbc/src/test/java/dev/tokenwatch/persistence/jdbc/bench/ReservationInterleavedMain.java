package dev.tokenwatch.persistence.jdbc.bench;

import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.Reservation;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.testing.MutableClock;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * {@link JdbcReservationBenchmark}'s pairs through a tracker with one hard budget (track against
 * reserve + commit), in interleaved rounds on one store (the first 2 rounds unmeasured): on a shared
 * machine whose load moves, both sides of a ratio see the same load, which JMH's forks run one
 * after the other do not give. On H2 a third side forces each reservation to disk ({@code CHECKPOINT
 * SYNC} on a connection of its own, as every record is): the cost of giving reserve the durability of
 * a record. Arguments: database (h2 or postgresql), rounds, calls per round.
 */
public final class ReservationInterleavedMain {

  private ReservationInterleavedMain() {}

  public static void main(String[] args) throws SQLException {
    String database = args[0];
    int rounds = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    BenchDatabase db = BenchDatabase.create(database);
    boolean h2 = "h2".equals(database);
    int sides = h2 ? 3 : 2;
    long[] nanos = new long[sides];
    long id = 0;
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(db.url).user(db.user).build();
        Connection forcing = h2 ? DriverManager.getConnection(db.url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
            + "DEFAULT_NULL_ORDERING=HIGH;FILE_LOCK=FS;DB_CLOSE_ON_EXIT=FALSE", db.user, "") : null;
        Statement force = forcing == null ? null : forcing.createStatement()) {
      TokenBudget hard = TokenBudget.builder().name(JdbcStoreBenchmark.BUDGET).limit(Long.MAX_VALUE / 4)
          .period(BudgetPeriod.MONTHLY).zone(ZoneOffset.UTC).mode(BudgetMode.HARD).build();
      TokenTracker tracker = TokenTracker.builder(List.of(hard)).store(store)
          .clock(new MutableClock(JdbcReservationBenchmark.NOW)).build();
      for (int round = 0; round < rounds; round++) {
        for (int side = 0; side < sides; side++) {
          long start = System.nanoTime();
          for (int i = 0; i < calls; i++) {
            TokenUsageEvent event = JdbcStoreBenchmark.event(++id);
            if (side == 0) {
              tracker.track(event);
            } else {
              Reservation reservation = tracker.reserve(event.model(), 200);
              if (side == 2) {
                force.execute("CHECKPOINT SYNC");
              }
              reservation.commit(event);
            }
          }
          if (round >= 2) {
            nanos[side] += System.nanoTime() - start;
          }
        }
      }
    }
    double measured = (double) calls * (rounds - 2);
    System.out.printf(Locale.ROOT, "| %s | track | %,.0f calls/s |%n", database, measured / (nanos[0] / 1e9));
    System.out.printf(Locale.ROOT, "| %s | reserve + commit | %,.0f calls/s | %.2fx |%n", database,
        measured / (nanos[1] / 1e9), (double) nanos[0] / nanos[1]);
    if (h2) {
      System.out.printf(Locale.ROOT, "| %s | reserve forced to disk + commit | %,.0f calls/s | %.2fx |%n", database,
          measured / (nanos[2] / 1e9), (double) nanos[0] / nanos[2]);
    }
    System.exit(0);
  }
}
