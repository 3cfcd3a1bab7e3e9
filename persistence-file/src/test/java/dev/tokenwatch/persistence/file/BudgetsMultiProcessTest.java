package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageQuery;
import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVMs share one store, each running a {@code TokenTracker} with its own list of overlapping
 * budgets (A: all, opus; B: all, search; C: opus, search, all-daily), tracking their own events and
 * 60 shared request ids (see {@link TrackerChild}): each budget's totals end exact, including the
 * events tracked by processes without that budget and the replacements they made, and each
 * threshold of each budget is claimed exactly once across the processes.
 */
class BudgetsMultiProcessTest {

  @TempDir
  Path directory;

  @Test
  @Timeout(value = 170, unit = TimeUnit.SECONDS)
  void everyBudgetIsExactAndEachThresholdFiresOnceAcrossDifferentlyConfiguredProcesses() throws Exception {
    Path state = directory.resolve("state");
    Map<String, AtomicInteger> alerts = new ConcurrentHashMap<>();
    List<String> problems = new CopyOnWriteArrayList<>();
    AtomicInteger done = new AtomicInteger();
    List<Process> processes = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (String process : List.of("A", "B", "C")) {
      Process p = ChildJvm.start(TrackerChild.class, state.toString(), process);
      processes.add(p);
      Thread reader = new Thread(() -> {
        try (BufferedReader out = ChildJvm.stdout(p)) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("ALERT ")) {
              String[] parts = line.split(" ");
              String budget = parts[1];
              if (!TrackerChild.BUDGETS_OF.get(process).contains(budget)) {
                problems.add(process + " alerted a budget it does not have: " + line);
              }
              alerts.computeIfAbsent(budget + " " + parts[2], k -> new AtomicInteger()).incrementAndGet();
            } else if (line.equals("DONE")) {
              done.incrementAndGet();
            } else {
              problems.add(process + ": " + line);
            }
          }
        } catch (Exception e) {
          problems.add(e.toString());
        }
      });
      reader.start();
      readers.add(reader);
    }
    for (Process p : processes) {
      assertThat(p.waitFor(160, TimeUnit.SECONDS)).as("child finished").isTrue();
      assertThat(p.exitValue()).isZero();
    }
    for (Thread r : readers) {
      r.join();
    }
    assertThat(problems).isEmpty();
    assertThat(done.get()).isEqualTo(3);

    Map<String, Integer> expectedAlerts = new TreeMap<>();
    for (String budget : TrackerChild.WINDOWS.keySet()) {
      for (String threshold : List.of("0.5", "0.7", "0.8", "1.0")) {
        expectedAlerts.put(budget + " " + threshold, 1);
      }
    }
    Map<String, Integer> seen = new TreeMap<>();
    alerts.forEach((key, count) -> seen.put(key, count.get()));
    assertThat(seen).as("alerts per budget and threshold").isEqualTo(expectedAlerts);

    try (FileUsageStore store = StoreChild.open(state)) {
      for (BudgetWindow window : TrackerChild.WINDOWS.values()) {
        Counts expected = TrackerChild.expected(window);
        assertThat(store.keepsWindow(window)).as("kept: %s", window).isTrue();
        assertThat(store.windowTotals(window)).as("totals of %s", window).isEqualTo(expected);
        assertThat(store.query(window.query()).total()).as("the ledger's figure of %s", window).isEqualTo(expected);
        assertThat(store.claimedThresholds(window)).as("claims in %s", window).containsExactly(0.5, 0.7, 0.8, 1.0);
      }
      Counts all = store.windowTotals(TrackerChild.WINDOWS.get("all"));
      assertThat(all.calls()).isEqualTo(3 * 300 + 60);
      assertThat(all.unpricedCalls()).as("the shared events have no cost").isEqualTo(60);
      assertThat(store.query(UsageQuery.all()).total()).isEqualTo(all);
    }
  }
}
