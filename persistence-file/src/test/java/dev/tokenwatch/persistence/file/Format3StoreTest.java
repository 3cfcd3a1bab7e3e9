package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by the format before the cost (manifest format 3, events file and journal version
 * 1; the fixture {@code format3-store} was written by the code of commit 3a7b221~1 running {@code
 * MakeFormat3.java.txt} beside it): it opens, its events and totals come back with cost unknown
 * (every call unpriced), it is rewritten in the current format once, and its kept windows go on
 * being charged, also by records that do not name them.
 */
class Format3StoreTest {

  private static final Instant BASE = Instant.parse("2026-01-10T08:00:00Z");
  private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant FEB = Instant.parse("2026-02-01T00:00:00Z");
  private static final BudgetWindow ALL = new BudgetWindow("all", JAN, FEB, UsageFilter.ANY);
  private static final BudgetWindow OPUS = new BudgetWindow("opus", JAN, FEB, UsageFilter.models("claude-opus-*"));

  @TempDir
  Path directory;

  private Path state;

  /** As MakeFormat3 made them. */
  private static TokenUsageEvent event(int i) {
    return TokenUsageEvent.builder(i % 2 == 1 ? "claude-opus-4" : "gpt-4o").inputTokens(100L * i).outputTokens(10L * i)
        .cacheReadTokens(i).timestamp(BASE.plusSeconds(3600L * i)).requestId("old-" + i).project("p" + (i % 2))
        .session("s1").tag("team", i % 3 == 0 ? "search" : "ads").build();
  }

  /** The live events the fixture holds, by time: old-3 was replaced by a larger record, one has no id. */
  private static List<TokenUsageEvent> fixtureEvents() {
    TokenUsageEvent replacement = TokenUsageEvent.builder("claude-opus-4").inputTokens(350).outputTokens(30)
        .cacheReadTokens(3).timestamp(BASE.plusSeconds(3 * 3600 + 60)).requestId("old-3").project("p9").session("s1")
        .tag("team", "search").build();
    TokenUsageEvent noId = TokenUsageEvent.builder("claude-opus-4").inputTokens(77).outputTokens(7)
        .timestamp(BASE.plusSeconds(8 * 3600)).build();
    return List.of(event(1), event(2), replacement, event(4), event(5), event(6), event(7), noId);
  }

  @BeforeEach
  void copyFixture() throws IOException {
    state = StoreFixture.copy("format3-store", directory.resolve("state"));
  }

  @Test
  void eventsAndTotalsComeBackWithCostUnknownAndTheStoreIsRewrittenInTheCurrentFormat() throws IOException {
    List<TokenUsageEvent> expected = fixtureEvents();
    try (FileUsageStore store = new FileUsageStore(state)) {
      assertOpensAsWritten(store, expected);
    }
    assertThat(names(state)).containsExactlyInAnyOrder("manifest", "events-2.dat", "ids-2.dat", "journal-2.log",
        "tokenwatch.lock");
    assertThat(Files.readString(state.resolve("manifest"))).contains("\"format\":4");
    try (FileUsageStore store = new FileUsageStore(state)) {
      assertOpensAsWritten(store, expected);
    }
  }

  private static void assertOpensAsWritten(FileUsageStore store, List<TokenUsageEvent> expected) {
    assertThat(store.history(UsageFilter.ANY, 100)).containsExactlyElementsOf(expected)
        .allSatisfy(e -> assertThat(e.costNanoUsd()).isEqualTo(TokenUsageEvent.NO_COST));
    Counts total = store.query(UsageQuery.all()).total();
    assertThat(total).isEqualTo(StoreFixture.sum(expected, new BudgetWindow("x", JAN, FEB, UsageFilter.ANY)));
    assertThat(total.calls()).isEqualTo(8);
    assertThat(total.costNanoUsd()).isZero();
    assertThat(total.unpricedCalls()).isEqualTo(8);
    assertThat(total.unpricedTokens()).isEqualTo(total.totalTokens());
    for (BudgetWindow w : List.of(ALL, OPUS)) {
      assertThat(store.keepsWindow(w)).as("kept: %s", w).isTrue();
      assertThat(store.windowTotals(w)).as("kept totals of %s", w).isEqualTo(StoreFixture.sum(expected, w));
    }
    assertThat(store.windowTotals(OPUS).unpricedCalls()).isEqualTo(5);
    assertThat(store.claimedThresholds(ALL)).containsExactly(0.5);
    assertThat(store.claimedThresholds(OPUS)).containsExactly(0.8);
  }

  @Test
  void keptWindowsOfTheOldFormatAreChargedByRecordsThatDoNotNameThem() {
    TokenUsageEvent priced = TokenUsageEvent.builder("claude-opus-4-5").inputTokens(1000).outputTokens(100)
        .timestamp(BASE.plusSeconds(20 * 3600)).requestId("new-1").costNanoUsd(12_345_678).build();
    // old-4 lived in the version-1 events file; its larger, priced record replaces it
    TokenUsageEvent replacement = TokenUsageEvent.builder("claude-opus-4").inputTokens(900).outputTokens(40)
        .timestamp(BASE.plusSeconds(4 * 3600)).requestId("old-4").costNanoUsd(5_000).build();
    List<TokenUsageEvent> expected = new java.util.ArrayList<>(fixtureEvents());
    expected.removeIf(e -> "old-4".equals(e.requestId()));
    expected.add(priced);
    expected.add(replacement);
    try (FileUsageStore store = new FileUsageStore(state)) {
      assertThat(store.record(List.of(priced, replacement), List.of()).replaced()).isEqualTo(1);
    }
    try (FileUsageStore store = new FileUsageStore(state)) {
      for (BudgetWindow w : List.of(ALL, OPUS)) {
        assertThat(store.keepsWindow(w)).isTrue();
        assertThat(store.windowTotals(w)).as("%s", w).isEqualTo(StoreFixture.sum(expected, w));
      }
      assertThat(store.windowTotals(OPUS).costNanoUsd()).isEqualTo(12_345_678 + 5_000);
      assertThat(store.windowTotals(ALL).unpricedCalls()).isEqualTo(7);
      assertThat(store.query(UsageQuery.all()).total()).isEqualTo(store.windowTotals(ALL));
    }
  }

  @Test
  void aMigrationCutShortAfterItsSealIsFinishedByTheNextOpen() throws IOException {
    // what a crash right after sealing the old journal leaves: the seal, no generation 2 yet
    BinaryOut seal = new BinaryOut(32);
    JournalRecord.encode(seal, new JournalRecord.Sealed(2));
    Files.write(state.resolve("journal-1.log"), java.util.Arrays.copyOf(seal.array(), seal.size()),
        StandardOpenOption.APPEND);
    try (FileUsageStore store = new FileUsageStore(state)) {
      assertOpensAsWritten(store, fixtureEvents());
    }
    assertThat(names(state)).contains("manifest", "events-2.dat", "journal-2.log").doesNotContain("journal-1.log");
  }

  @Test
  void aDamagedStoreOfTheOldFormatIsRefusedAndLeftAsItWas() throws IOException {
    Path journal = state.resolve("journal-1.log");
    byte[] bytes = Files.readAllBytes(journal);
    bytes[bytes.length - 3] ^= 0x5a; // inside the last record, a claim
    Files.write(journal, bytes);
    Map<String, byte[]> before = contents(state);
    assertThatThrownBy(() -> new FileUsageStore(state)).isInstanceOf(StoreFileException.class)
        .hasMessageContaining("journal-1.log");
    Map<String, byte[]> after = contents(state);
    after.remove("tokenwatch.lock");
    assertThat(after.keySet()).isEqualTo(before.keySet());
    after.forEach((name, content) -> assertThat(content).as(name).isEqualTo(before.get(name)));
  }

  @Test
  void anOldStoreWithADamagedBlockIsNotMigratedAndKeepsEveryFileAsItWas() throws IOException {
    // damage inside the one block of the events file: not seen on open, only when the block is read
    Path events = state.resolve("events-1.dat");
    byte[] bytes = Files.readAllBytes(events);
    bytes[EventsFile.HEADER_BYTES + 40] ^= 0x01;
    Files.write(events, bytes);
    Map<String, byte[]> before = contents(state);
    assertThatThrownBy(() -> new FileUsageStore(state)).isInstanceOf(StoreFileException.class)
        .hasMessageContaining("events-1.dat").hasMessageContaining("checksum");
    Map<String, byte[]> after = contents(state);
    after.remove("tokenwatch.lock");
    assertThat(after.keySet()).as("no file of a next generation").isEqualTo(before.keySet());
    after.forEach((name, content) -> assertThat(content).as("%s, not even sealed", name).isEqualTo(before.get(name)));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static Map<String, byte[]> contents(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    for (String name : names(dir)) {
      files.put(name, Files.readAllBytes(dir.resolve(name)));
    }
    return files;
  }
}
