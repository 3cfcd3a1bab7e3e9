package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.ledger.UsageRow;
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
 * Three JVMs record into one directory at the same time; the store is compacted many times meanwhile
 * (every 700 events or 32 KiB of journal), so the processes also follow each other's compactions and
 * look ids up in each other's generation files.
 */
class MultiProcessTest {

  private static final int CHILDREN = 3;
  private static final int EVENTS = 2_000;
  private static final long TOKENS_PER_EVENT = 15;
  private static final long LIMIT = CHILDREN * EVENTS * TOKENS_PER_EVENT;

  @TempDir
  Path directory;

  @Test
  @Timeout(value = 170, unit = TimeUnit.SECONDS)
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
      assertThat(p.waitFor(160, TimeUnit.SECONDS)).as("child finished").isTrue();
      assertThat(p.exitValue()).isZero();
    }
    for (Thread r : readers) {
      r.join();
    }

    assertThat(problems).isEmpty();
    assertThat(done.get()).isEqualTo(CHILDREN);
    assertThat(wins).containsOnlyKeys("0.5", "0.7", "0.8", "1.0");
    wins.forEach((threshold, count) -> assertThat(count.get()).as("wins of %s", threshold).isEqualTo(1));
    try (FileUsageStore store = StoreChild.open(state)) {
      Counts totals = store.windowTotals(StoreChild.WINDOW);
      assertThat(totals.totalTokens()).isEqualTo(LIMIT);
      assertThat(totals.calls()).isEqualTo((long) CHILDREN * EVENTS);
      assertThat(store.query(UsageQuery.all()).total()).as("the ledger agrees with the window").isEqualTo(totals);
      assertThat(store.query(UsageQuery.all().groupBy(Dimension.PROJECT)).rows()).extracting(UsageRow::counts)
          .extracting(Counts::calls).containsExactlyInAnyOrder((long) CHILDREN * EVENTS / 2, (long) CHILDREN * EVENTS / 2);
      assertThat(store.claimedThresholds(StoreChild.WINDOW)).containsExactly(0.5, 0.7, 0.8, 1.0);
      assertThat(store.history(UsageFilter.ANY, 100)).hasSize(100);
    }
    assertOneGeneration(state);
  }

  /**
   * Three JVMs record the same 1,500 ids, each with its own size: across processes and through
   * many compactions (so most lookups go to another generation's index), every id is counted once
   * and ends at the largest size, with the dimensions of its latest record.
   */
  @Test
  @Timeout(value = 170, unit = TimeUnit.SECONDS)
  void processesRecordingOverlappingRequestIdsGiveExactTotals() throws Exception {
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
      assertThat(p.waitFor(160, TimeUnit.SECONDS)).as("child finished").isTrue();
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
    try (FileUsageStore store = StoreChild.open(state)) {
      Counts totals = store.windowTotals(StoreChild.WINDOW);
      assertThat(totals.calls()).isEqualTo(ids);
      assertThat(totals.totalTokens()).isEqualTo(ids * largest);
      assertThat(store.query(UsageQuery.all().groupBy(Dimension.SESSION)).rows())
          .as("every id ends with the dimensions of its largest (latest counted) record")
          .singleElement().satisfies(row -> {
            assertThat(row.keys()).containsExactly("child-" + (CHILDREN - 1));
            assertThat(row.counts()).isEqualTo(totals);
          });
    }
    assertOneGeneration(state);
  }

  /** Compaction removed every file of older generations. */
  private static void assertOneGeneration(Path state) throws Exception {
    try (Stream<Path> files = Files.list(state)) {
      List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
      assertThat(names).hasSize(5).contains("manifest", "tokenwatch.lock");
      String generation = names.stream().filter(n -> n.startsWith("journal-")).findFirst().orElseThrow()
          .replaceAll("\\D", "");
      assertThat(Long.parseLong(generation)).as("compacted many times").isGreaterThan(2);
      assertThat(names).contains("events-" + generation + ".dat", "ids-" + generation + ".dat");
    }
  }
}
