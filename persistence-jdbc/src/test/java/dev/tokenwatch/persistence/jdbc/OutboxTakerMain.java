package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.outbox.PendingAlert;
import dev.tokenwatch.domain.port.AlertOutbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One process of {@code OutboxProcessesTest}: {@code url user go-file mode}. Once the go file exists,
 * mode {@code deliver} runs {@link #THREADS} threads that take due entries (3 at a time) and deliver
 * them, printing {@code DELIVERED id sink attempts takenAtMillis}; a first attempt of every fourth
 * entry fails ({@code FAILED id sink}, due again 100 ms later, for any process). A thread stops when
 * nothing is due and the outbox is empty. Mode {@code abandon} takes {@link #ABANDONED} entries with a
 * short lease, prints {@code ABANDONED id sink} and halts without marking them, as a taker killed
 * before its deliveries were recorded.
 */
public final class OutboxTakerMain {

  static final Set<String> SINKS = Set.of("console", "slack");
  static final int THREADS = 2;
  static final int ABANDONED = 6;
  static final long ABANDON_LEASE_MILLIS = 1_500;

  private OutboxTakerMain() {}

  public static void main(String[] args) throws Exception {
    Path go = Path.of(args[2]);
    boolean abandon = args[3].equals("abandon");
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(args[0]).user(args[1]).poolSize(THREADS + 1).build()) {
      AlertOutbox outbox = store.outbox();
      System.out.println("READY");
      while (!Files.exists(go)) {
        Thread.sleep(5);
      }
      if (abandon) {
        Instant now = Instant.now();
        for (PendingAlert entry : outbox.takeDue(SINKS, now, now.plusMillis(ABANDON_LEASE_MILLIS), ABANDONED)) {
          System.out.println("ABANDONED " + entry.alertId() + " " + entry.sink());
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
      }
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Thread thread = new Thread(() -> {
          try {
            deliver(outbox);
          } catch (Throwable e) {
            synchronized (failures) {
              failures.add(e);
            }
          }
        });
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.join();
      }
      if (!failures.isEmpty()) {
        failures.get(0).printStackTrace(System.out);
        System.exit(1);
      }
      System.out.println("DONE");
    }
  }

  private static void deliver(AlertOutbox outbox) throws InterruptedException {
    while (true) {
      Instant now = Instant.now();
      List<PendingAlert> taken = outbox.takeDue(SINKS, now, now.plusSeconds(30), 3);
      if (taken.isEmpty()) {
        if (outbox.undelivered().isEmpty()) {
          return;
        }
        Thread.sleep(20);
        continue;
      }
      for (PendingAlert entry : taken) {
        if (failsFirst(entry.alertId(), entry.sink()) && entry.lastProblem().isEmpty()) {
          System.out.println("FAILED " + entry.alertId() + " " + entry.sink());
          outbox.retryAt(entry.alertId(), entry.sink(), Instant.now().plusMillis(100), "HTTP 500 from the stub");
        } else {
          System.out.println("DELIVERED " + entry.alertId() + " " + entry.sink() + " " + entry.attempts() + " "
              + now.toEpochMilli());
          outbox.delivered(entry.alertId(), entry.sink());
        }
      }
    }
  }

  /** Whether the first delivery of this entry fails: every fourth entry, by its key. */
  static boolean failsFirst(String alertId, String sink) {
    return Math.floorMod((alertId + " " + sink).hashCode(), 4) == 0;
  }
}
