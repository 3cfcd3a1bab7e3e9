package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.port.PeriodTotals;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVMs record 2,000 events each into one directory at the same time, claiming thresholds as
 * they go; the journal is compacted many times meanwhile (32 KiB threshold), so the processes also
 * follow each other's compactions.
 */
class MultiProcessTest {

  private static final int CHILDREN = 3;
  private static final int EVENTS = 2_000;
  private static final long TOKENS_PER_EVENT = 15;
  private static final long LIMIT = CHILDREN * EVENTS * TOKENS_PER_EVENT;

  @TempDir
  Path directory;

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void processesLoseNoUpdateAndClaimEachThresholdOnce() throws Exception {
    Path state = directory.resolve("state");
    List<Process> processes = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    Map<String, AtomicInteger> wins = new ConcurrentHashMap<>();
    List<String> problems = new CopyOnWriteArrayList<>();
    AtomicInteger done = new AtomicInteger();
    for (int c = 0; c < CHILDREN; c++) {
      Process p = ChildJvm.start("multi", state.toString(), String.valueOf(c), String.valueOf(EVENTS),
          String.valueOf(LIMIT));
      processes.add(p);
      Thread reader = new Thread(() -> {
        try (BufferedReader out = ChildJvm.stdout(p)) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("WIN ")) {
              wins.computeIfAbsent(line.substring(4), k -> new AtomicInteger()).incrementAndGet();
            } else if (line.equals("DONE")) {
              done.incrementAndGet();
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
    for (Process p : processes) {
      assertThat(p.waitFor(140, TimeUnit.SECONDS)).as("child finished").isTrue();
      assertThat(p.exitValue()).isZero();
    }
    for (Thread r : readers) {
      r.join();
    }

    assertThat(problems).isEmpty();
    assertThat(done.get()).isEqualTo(CHILDREN);
    assertThat(wins).containsOnlyKeys("0.5", "0.7", "0.8", "1.0");
    wins.forEach((threshold, count) -> assertThat(count.get()).as("wins of %s", threshold).isEqualTo(1));
    try (FileUsageStore store = new FileUsageStore(state)) {
      PeriodTotals totals = store.periodTotals(StoreChild.BUDGET, StoreChild.PERIOD);
      assertThat(totals.used()).isEqualTo(LIMIT);
      assertThat(totals.calls()).isEqualTo((long) CHILDREN * EVENTS);
      assertThat(store.claimedThresholds(StoreChild.BUDGET, StoreChild.PERIOD)).containsExactly(0.5, 0.7, 0.8, 1.0);
      assertThat(store.history(StoreChild.BUDGET, 100)).hasSize(StoreChild.HISTORY);
    }
    try (Stream<Path> files = Files.list(state)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("journal-")))
          .as("compaction removed the old journals").hasSize(1).noneMatch(n -> n.equals("journal-0.log"));
    }
  }

  /**
   * Three JVMs record the same 1,500 ids, each with its own size: across processes and through
   * many compactions (so most lookups go to another generation's file), every id is counted once
   * and ends at the largest size.
   */
  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void processesDeduplicateEachOthersRequestIds() throws Exception {
    Path state = directory.resolve("shared");
    int ids = 1_500;
    List<Process> processes = new ArrayList<>();
    for (int c = 0; c < CHILDREN; c++) {
      processes.add(ChildJvm.start("shared", state.toString(), String.valueOf(c), String.valueOf(ids)));
    }
    long recorded = 0;
    long replaced = 0;
    long duplicates = 0;
    for (Process p : processes) {
      List<String> lines;
      try (BufferedReader out = ChildJvm.stdout(p)) {
        lines = out.lines().toList();
      }
      assertThat(p.waitFor(140, TimeUnit.SECONDS)).as("child finished").isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(lines).hasSize(1);
      String[] parts = lines.get(0).split(" ");
      assertThat(parts[0]).isEqualTo("RESULT");
      recorded += Long.parseLong(parts[1]);
      replaced += Long.parseLong(parts[2]);
      duplicates += Long.parseLong(parts[3]);
    }
    assertThat(recorded).as("each id counted once").isEqualTo(ids);
    assertThat(recorded + replaced + duplicates).isEqualTo((long) CHILDREN * ids);
    long largest = 10 + (CHILDREN - 1) + 5;
    try (FileUsageStore store = new FileUsageStore(state)) {
      PeriodTotals totals = store.periodTotals(StoreChild.BUDGET, StoreChild.PERIOD);
      assertThat(totals.calls()).isEqualTo(ids);
      assertThat(totals.used()).isEqualTo(ids * largest);
    }
    try (Stream<Path> files = Files.list(state)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("dedup-")))
          .as("one generation's de-duplication file, compacted many times").hasSize(1)
          .noneMatch(n -> n.equals("dedup-0.bin"));
    }
  }
}
