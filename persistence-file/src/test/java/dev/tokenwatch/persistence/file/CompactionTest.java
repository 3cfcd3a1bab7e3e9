package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction's crash points, each reproduced by leaving the directory exactly as a crash there
 * would: the next process finishes an interrupted compaction, and nothing of an older generation
 * (journal, events, index, temporaries) survives the next successful compaction.
 */
class CompactionTest {

  private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  private static final BudgetWindow WINDOW =
      new BudgetWindow("b", JAN, Instant.parse("2026-02-01T00:00:00Z"), UsageFilter.ANY);

  @TempDir
  Path directory;

  private Path state() {
    return directory.resolve("state");
  }

  private static TokenUsageEvent event(int i, long input) {
    return TokenUsageEvent.builder("m").inputTokens(input).timestamp(JAN.plusSeconds(i)).requestId("r" + i).build();
  }

  private FileUsageStore open() {
    return FileUsageStore.builder(state()).compactAfterEvents(10).build();
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(state())) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Records {@code n} events one at a time starting at {@code from}; returns the window's total. */
  private long recordSingles(FileUsageStore store, int from, int n) {
    long total = 0;
    for (int i = from; i < from + n; i++) {
      total = store.record(List.of(event(i, 100)), List.of(WINDOW)).windowTotals().get(0).totalTokens();
    }
    return total;
  }

  @Test
  void crashAfterTheSealIsFinishedByTheNextProcess() throws IOException {
    long total;
    try (FileUsageStore store = open()) {
      total = recordSingles(store, 0, 15); // generation 1 written after 10, 5 in its journal
    }
    assertThat(names()).contains("journal-1.log");
    // the crash: the seal reached the journal, the next generation's events file was half written
    BinaryOut seal = new BinaryOut(32);
    JournalRecord.encode(seal, new JournalRecord.Sealed(2));
    Files.write(state().resolve("journal-1.log"), java.util.Arrays.copyOf(seal.array(), seal.size()),
        StandardOpenOption.APPEND);
    Files.write(state().resolve("events-2.dat.tmp"), new byte[4096]);

    try (FileUsageStore store = open()) {
      assertThat(store.windowTotals(WINDOW).totalTokens()).isEqualTo(total);
      assertThat(store.query(UsageQuery.all()).total().calls()).isEqualTo(15);
      assertThat(names()).as("generation 2 published, generation 1 and the temporary gone")
          .containsExactly("events-2.dat", "ids-2.dat", "journal-2.log", "manifest", "tokenwatch.lock");
      assertThat(store.record(List.of(event(3, 100)), List.of()).duplicates()).isEqualTo(1);
    }
  }

  @Test
  void filesOfAnOldGenerationLeftByACrashAreGoneAfterTheNextCompaction() throws IOException {
    try (FileUsageStore store = open()) {
      recordSingles(store, 0, 25); // generations 1 and 2
    }
    // the crash: generation 2's manifest was published, generation 1's files not yet deleted
    // (here: put back, a large journal among them, as the issue saw an 8.5 MB one stay behind)
    Files.write(state().resolve("journal-1.log"), new byte[1 << 20]);
    Files.write(state().resolve("events-1.dat"), new byte[1000]);
    Files.write(state().resolve("ids-1.dat"), new byte[1000]);
    Files.write(state().resolve("ids-3.dat.tmp"), new byte[100]);
    Files.write(state().resolve("manifest.tmp"), new byte[100]);
    Counts before;
    try (FileUsageStore store = open()) {
      before = store.windowTotals(WINDOW);
      assertThat(before.calls()).isEqualTo(25);
      recordSingles(store, 25, 5); // the 10th event since generation 2 compacts into generation 3
      assertThat(names()).containsExactly("events-3.dat", "ids-3.dat", "journal-3.log", "manifest",
          "tokenwatch.lock");
      assertThat(store.windowTotals(WINDOW).calls()).isEqualTo(30);
    }
  }

  @Test
  void compactionDropsReplacedResetAndRetiredEventsAndKeepsTheirEffects() throws IOException {
    Instant feb = Instant.parse("2026-02-01T00:00:00Z");
    BudgetWindow february = new BudgetWindow("b", feb, Instant.parse("2026-03-01T00:00:00Z"), UsageFilter.ANY);
    List<TokenUsageEvent> batch = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      batch.add(event(i, 10));
    }
    Counts expected;
    try (FileUsageStore store = FileUsageStore.builder(state()).compactAfterEvents(1_000).build()) {
      store.record(batch, List.of(WINDOW));
      store.record(List.of(event(1, 50)), List.of(WINDOW)); // replaces r1
      store.record(List.of(TokenUsageEvent.builder("m").inputTokens(7).timestamp(feb).requestId("f").build()),
          List.of(february));
      store.resetWindow(february);
      store.dropBefore(JAN.plusSeconds(2)); // r0 leaves; r1 (replaced, stamped +1 s) leaves too
      expected = store.query(UsageQuery.all()).total();
    }
    assertThat(expected.calls()).isEqualTo(6);
    try (FileUsageStore store = FileUsageStore.builder(state()).compactAfterEvents(1).build()) {
      store.record(List.of(event(3, 10)), List.of()); // a duplicate; compaction runs after it
    }
    assertThat(names()).contains("journal-1.log");
    try (FileUsageStore store = open()) {
      assertThat(store.query(UsageQuery.all()).total()).isEqualTo(expected);
      assertThat(store.retainedFrom()).isEqualTo(JAN.plusSeconds(2));
      assertThat(store.record(List.of(TokenUsageEvent.builder("m").inputTokens(7).timestamp(feb).requestId("f")
          .build()), List.of()).recorded()).as("a reset id counts again").isEqualTo(1);
      assertThat(store.record(List.of(event(2, 10)), List.of()).duplicates()).isEqualTo(1);
    }
  }

  @Test
  void blocksWithoutDeadEventsAreCopiedWholeAndTheOthersEventByEvent() throws IOException {
    Counts expected;
    try (FileUsageStore store = FileUsageStore.builder(state()).compactAfterEvents(2_000).build()) {
      List<TokenUsageEvent> batch = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        batch.add(event(i, 10)); // about 15 blocks once compacted
      }
      store.record(batch, List.of(WINDOW));
      assertThat(names()).contains("events-1.dat");
      // replace one event in the first block and one in the last, reset nothing: only those two
      // blocks are rewritten by the next compaction, the others copied as they are
      store.record(List.of(event(5, 500), event(1_995, 500)), List.of(WINDOW));
      expected = store.query(UsageQuery.all()).total();
      List<TokenUsageEvent> more = new ArrayList<>();
      for (int i = 2_000; i < 3_998; i++) {
        more.add(event(i, 10));
      }
      store.record(more, List.of(WINDOW));
      assertThat(names()).contains("events-2.dat");
      assertThat(store.query(UsageQuery.all()).total())
          .isEqualTo(expected.plus(new Counts(19_980, 0, 0, 0, 19_980, 1_998)));
    }
    try (FileUsageStore store = open()) {
      Counts total = store.query(UsageQuery.all()).total();
      assertThat(total.calls()).isEqualTo(3_998);
      assertThat(total.totalTokens()).isEqualTo(3_996 * 10 + 2 * 500);
      assertThat(store.windowTotals(WINDOW)).isEqualTo(total);
      assertThat(store.record(List.of(event(5, 500), event(1_000, 10), event(3_000, 10)), List.of()).duplicates())
          .as("ids in rewritten, whole-copied and new blocks").isEqualTo(3);
      assertThat(store.record(List.of(event(1_995, 501)), List.of()).replaced()).isEqualTo(1);
      assertThat(store.history(UsageFilter.ANY, 3)).extracting(TokenUsageEvent::requestId)
          .containsExactly("r3995", "r3996", "r3997");
    }
  }
}
