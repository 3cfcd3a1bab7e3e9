package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.outbox.PendingAlert;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox shared by processes ({@link OutboxChild}): three JVMs taking and delivering from one
 * directory deliver each entry exactly once; a claim whose process was SIGKILLed right after it
 * returned (or while claiming) is in the outbox of the next process, held until its lease ends and
 * then taken. The stores compact every 3,000 bytes of journal, so entries are also carried across
 * generations meanwhile.
 */
class OutboxMultiProcessTest {

  private static final int ALERTS = 30;
  private static final int CHILDREN = 3;
  private static final Set<String> SINKS = Set.copyOf(OutboxChild.SINKS);

  @TempDir
  Path directory;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void threeProcessesDeliverEachQueuedAlertExactlyOnce() throws Exception {
    Path state = directory.resolve("state");
    Path go = directory.resolve("go");
    Map<String, Integer> deliveries = new ConcurrentHashMap<>();
    Map<Integer, Integer> perChild = new ConcurrentHashMap<>();
    List<String> problems = new CopyOnWriteArrayList<>();
    CountDownLatch ready = new CountDownLatch(CHILDREN);
    List<Process> processes = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (int c = 0; c < CHILDREN; c++) {
      int child = c;
      Process p = ChildJvm.start(OutboxChild.class, "deliver", state.toString(), go.toString());
      processes.add(p);
      Thread reader = new Thread(() -> {
        try (BufferedReader out = ChildJvm.stdout(p)) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals("READY")) {
              ready.countDown();
            } else if (line.startsWith("DELIVERED ")) {
              deliveries.merge(line.substring(10), 1, Integer::sum);
              perChild.merge(child, 1, Integer::sum);
            } else if (!line.equals("DONE")) {
              problems.add("child " + child + ": " + line);
            }
          }
        } catch (Exception e) {
          problems.add(e.toString());
        }
      });
      reader.start();
      readers.add(reader);
    }
    // queued while the children start (they wait for the go file)
    try (FileUsageStore store = new FileUsageStore(state)) { // no compaction while queuing: fewer forces
      for (int i = 0; i < ALERTS; i++) {
        String budget = "a" + i;
        // the claimer's lease is over at NOW: the alerts are due for any taker, as after a failed delivery
        assertThat(store.claimThreshold(OutboxChild.window(budget), 0.8, new AlertClaim(
            OutboxChild.alert(budget, OutboxChild.RAISED.plusMillis(i)), OutboxChild.SINKS,
            OutboxChild.RAISED.plusSeconds(60)))).isTrue();
      }
      assertThat(store.outbox().undelivered()).hasSize(ALERTS * SINKS.size());
    }
    assertThat(ready.await(90, TimeUnit.SECONDS)).as("every child opened the store").isTrue();
    Files.createFile(go);
    for (Process p : processes) {
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("child finished").isTrue();
      assertThat(p.exitValue()).isZero();
    }
    for (Thread r : readers) {
      r.join();
    }

    assertThat(problems).isEmpty();
    assertThat(deliveries).as("every entry delivered").hasSize(ALERTS * SINKS.size());
    assertThat(deliveries.values()).as("each exactly once").containsOnly(1);
    assertThat(perChild).as("the children shared the work (deliveries per child: %s)", perChild).hasSizeGreaterThan(1);
    try (FileUsageStore store = OutboxChild.open(state)) {
      assertThat(store.outbox().undelivered()).isEmpty();
    }
    assertThat(state.resolve(Manifest.journalName(0))).as("compacted while delivering").doesNotExist();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void anAlertClaimedByAProcessKilledRightAfterTheClaimIsTakenByTheNextOnceItsLeaseEnds() throws Exception {
    Path state = directory.resolve("state");
    Instant lease = OutboxChild.RAISED.plusSeconds(60);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    // round 1: killed right after its one claim returned; round 2: killed at a random point of a run of claims
    Map<String, Integer> claimed = new TreeMap<>();
    claimed.putAll(killAfter(state, lease, "x", 1, 1));
    claimed.putAll(killAfter(state, lease, "y", 40, 1 + random.nextInt(25)));

    try (FileUsageStore store = OutboxChild.open(state)) {
      List<PendingAlert> left = store.outbox().undelivered();
      Map<String, List<PendingAlert>> byBudget =
          left.stream().collect(Collectors.groupingBy(e -> e.alert().budgetName()));
      for (Map.Entry<String, Integer> c : claimed.entrySet()) {
        assertThat(byBudget.get(c.getKey())).as("entries of %s (seed %d)", c.getKey(), seed)
            .extracting(PendingAlert::sink).containsExactlyInAnyOrderElementsOf(OutboxChild.SINKS);
        assertThat(byBudget.get(c.getKey())).allSatisfy(e -> {
          assertThat(e.alert()).isEqualTo(OutboxChild.alert(c.getKey(), OutboxChild.RAISED.plusMillis(c.getValue())));
          assertThat(e.attempts()).isEqualTo(1);
          assertThat(e.nextAttemptAt()).isEqualTo(lease);
        });
      }
      for (int i = 0; i < 40; i++) {
        String budget = "y" + i;
        boolean won = store.claimedThresholds(OutboxChild.window(budget)).contains(0.8);
        assertThat(byBudget.containsKey(budget)).as("%s: entries exactly when claimed (seed %d)", budget, seed)
            .isEqualTo(won);
      }
      assertThat(byBudget.keySet()).as("at most the claim in flight beyond those acknowledged")
          .hasSizeBetween(claimed.size(), claimed.size() + 1);

      assertThat(store.outbox().takeDue(SINKS, lease.minusMillis(1), lease.plusSeconds(60), 1000))
          .as("held while the dead claimer's lease runs").isEmpty();
      List<PendingAlert> taken = store.outbox().takeDue(SINKS, lease, lease.plusSeconds(60), 1000);
      assertThat(taken).hasSize(left.size()).allSatisfy(e -> assertThat(e.attempts()).isEqualTo(2));
      for (PendingAlert e : taken) {
        store.outbox().delivered(e.alertId(), e.sink());
      }
    }
    try (FileUsageStore store = OutboxChild.open(state)) {
      assertThat(store.outbox().undelivered()).isEmpty();
    }
  }

  /** Runs a claiming child and SIGKILLs it once it acknowledged {@code kill} claims; returns budget → index. */
  private static Map<String, Integer> killAfter(Path state, Instant lease, String prefix, int count, int kill)
      throws Exception {
    Process child = ChildJvm.start(OutboxChild.class, "claim", state.toString(), lease.toString(), prefix,
        String.valueOf(count));
    Map<String, Integer> claimed = new HashMap<>();
    try (BufferedReader out = ChildJvm.stdout(child)) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        assertThat(line).startsWith("CLAIMED " + prefix);
        String budget = line.substring(8);
        claimed.put(budget, Integer.parseInt(budget.substring(prefix.length())));
        if (claimed.size() == kill) {
          // through the handle: Process.destroyForcibly would also close our end of the pipe
          child.toHandle().destroyForcibly();
        }
      }
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    return claimed;
  }
}
