package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.RequestKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * De-duplication entries split between the generation's file (written by compaction) and memory
 * (recorded since): every rule of the port must hold across that boundary, across reopening, and
 * across the next merge. "compacting" stores compact after every write whose journal has reached
 * the size of snapshot plus file (so always, in these small stores, after a reopen with a
 * "keeping" store's records in the journal), "keeping" stores never.
 */
class DedupStoreTest {

  private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant FEB = Instant.parse("2026-02-01T00:00:00Z");
  private static final String B = "b";

  @TempDir
  Path directory;

  private Path state() {
    return directory.resolve("state");
  }

  private FileUsageStore compacting() {
    return FileUsageStore.builder(state()).compactAfterBytes(1).build();
  }

  private FileUsageStore keeping() {
    return FileUsageStore.builder(state()).compactAfterBytes(1L << 40).build();
  }

  private static ChargedEvent event(String id, long input, Instant period, String model) {
    return new ChargedEvent(TokenUsageEvent.builder(model).inputTokens(input).timestamp(period).requestId(id).build(),
        period);
  }

  private static ChargedEvent event(String id, long input) {
    return event(id, input, JAN, "m");
  }

  private static List<ChargedEvent> events(String prefix, int count, long input) {
    List<ChargedEvent> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(event(prefix + i, input));
    }
    return list;
  }

  private static RecordResult record(FileUsageStore store, ChargedEvent... events) {
    return store.record(B, JAN, List.of(events), 10);
  }

  private int fillers;

  /**
   * Compacts now: a "compacting" store records a batch into another budget that outgrows snapshot
   * and file, so the file of the next generation merges everything recorded since.
   */
  private void compactNow() throws IOException {
    long before = generation();
    try (FileUsageStore store = compacting()) {
      store.record("filler", JAN, events("filler" + fillers++ + "-", 200, 1), 10);
    }
    assertThat(generation()).as("compacted").isGreaterThan(before);
  }

  private long generation() throws IOException {
    String snapshot = Files.readString(state().resolve("snapshot.json"));
    assertThat(snapshot).startsWith("{\"format\":2,");
    int at = snapshot.indexOf("\"generation\":") + 13;
    return Long.parseLong(snapshot.substring(at, snapshot.indexOf(',', at)));
  }

  @Test
  void entriesInTheFileAndInMemoryAreBothDuplicatesAndBothReplaceable() throws IOException {
    try (FileUsageStore store = keeping()) {
      assertThat(store.record(B, JAN, events("a", 200, 10), 10).recorded()).isEqualTo(200);
    }
    compactNow();
    long generation = generation();
    // after the 24-byte header, two sections (budget b and the filler) of 200 entries of 56 bytes,
    // 4 index keys and a 2,000-bit filter each
    assertThat(state().resolve(DedupFile.fileName(generation))).hasSize(24 + 2 * (200 * 56 + 4 * 8 + 32 * 8));
    try (FileUsageStore store = keeping()) {
      assertThat(store.record(B, JAN, events("b", 100, 10), 10).recorded()).isEqualTo(100);
      RecordResult again = store.record(B, JAN, concat(events("a", 200, 10), events("b", 100, 10)), 10);
      assertThat(again.duplicates()).isEqualTo(300);
      assertThat(again.recorded()).isZero();
      assertThat(record(store, event("a5", 20), event("b5", 20)).replaced()).isEqualTo(2);
      assertThat(record(store, event("a5", 20), event("b5", 19)).duplicates()).isEqualTo(2);
      assertThat(store.periodTotals(B, JAN).used()).isEqualTo(3_000 + 20);
    }
    assertThat(generation()).isEqualTo(generation); // nothing was merged yet
    try (FileUsageStore store = keeping()) { // the journal replays over the file
      assertThat(store.record(B, JAN, concat(events("a", 200, 10), events("b", 100, 10)), 10).duplicates())
          .isEqualTo(300);
      assertThat(store.periodTotals(B, JAN).used()).isEqualTo(3_020);
      assertThat(store.periodTotals(B, JAN).calls()).isEqualTo(300);
    }
    try (FileUsageStore store = keeping()) { // merges memory into the next file
      assertThat(record(store, event("c0", 1)).recorded()).isEqualTo(1);
    }
    compactNow();
    assertThat(generation()).isGreaterThan(generation);
    try (FileUsageStore store = keeping()) {
      assertThat(store.record(B, JAN, concat(events("a", 200, 10), events("b", 100, 10)), 10).duplicates())
          .isEqualTo(300);
      assertThat(record(store, event("a5", 20), event("b5", 20), event("c0", 1)).duplicates()).isEqualTo(3);
      assertThat(record(store, event("a5", 21)).replaced()).isEqualTo(1);
      assertThat(store.periodTotals(B, JAN).used()).isEqualTo(3_022);
    }
  }

  @Test
  void replacingAnEntryOfTheFileMovesItsTokensAcrossPeriodsAndModels() throws IOException {
    try (FileUsageStore store = keeping()) {
      record(store, event("x", 100, JAN, "m0"), event("y", 7, JAN, "m0"));
    }
    compactNow();
    try (FileUsageStore store = keeping()) {
      assertThat(store.record(B, FEB, List.of(event("x", 150, FEB, "m1")), 10).replaced()).isEqualTo(1);
      assertThat(store.periodTotals(B, JAN).used()).isEqualTo(7);
      assertThat(store.periodTotals(B, FEB).used()).isEqualTo(150);
      assertThat(store.periodTotals(B, FEB).models()).extracting(m -> m.model()).containsExactly("m1");
    }
    try (FileUsageStore store = keeping()) {
      assertThat(store.record(B, FEB, List.of(event("x", 150, FEB, "m1"), event("x", 120, JAN, "m0")), 10)
          .duplicates()).isEqualTo(2);
    }
    try (FileUsageStore store = keeping()) {
      record(store, event("z", 1));
    }
    compactNow();
    try (FileUsageStore store = keeping()) {
      assertThat(store.record(B, FEB, List.of(event("x", 140, FEB, "m1")), 10).duplicates()).isEqualTo(1);
      assertThat(store.record(B, FEB, List.of(event("x", 160, FEB, "m2")), 10).replaced()).isEqualTo(1);
      assertThat(store.periodTotals(B, FEB).used()).isEqualTo(160);
      assertThat(store.periodTotals(B, FEB).models()).extracting(m -> m.model()).containsExactly("m2");
      assertThat(store.periodTotals(B, JAN).used()).isEqualTo(8);
    }
  }

  @Test
  void resetDropsTheRequestIdsOfThePeriodThatLiveInTheFile() throws IOException {
    try (FileUsageStore store = keeping()) {
      store.record(B, JAN, events("j", 10, 10), 10);
      store.record(B, FEB, List.of(event("f", 10, FEB, "m")), 10);
    }
    compactNow();
    try (FileUsageStore store = keeping()) {
      store.resetPeriod(B, JAN);
      assertThat(store.periodTotals(B, JAN).used()).isZero();
      assertThat(store.record(B, JAN, events("j", 10, 10), 10).recorded()).isEqualTo(10);
      assertThat(store.record(B, FEB, List.of(event("f", 10, FEB, "m")), 10).duplicates()).isEqualTo(1);
      assertThat(store.periodTotals(B, JAN).used()).isEqualTo(100);
    }
    try (FileUsageStore store = keeping()) { // the reset replays from the journal
      assertThat(store.record(B, JAN, events("j", 10, 10), 10).duplicates()).isEqualTo(10);
      assertThat(store.periodTotals(B, JAN).used()).isEqualTo(100);
      store.resetPeriod(B, JAN);
    }
    try (FileUsageStore store = keeping()) { // the merge leaves the reset entries out
      assertThat(store.record(B, FEB, List.of(event("f", 10, FEB, "m")), 10).duplicates()).isEqualTo(1);
      assertThat(store.record(B, FEB, List.of(event("g", 1, FEB, "m")), 10).recorded()).isEqualTo(1);
    }
    compactNow();
    try (FileUsageStore store = keeping()) {
      assertThat(store.record(B, JAN, events("j", 10, 10), 10).recorded()).isEqualTo(10);
      assertThat(store.periodTotals(B, FEB).used()).isEqualTo(11);
    }
  }

  @Test
  void resetOfThePeriodAnEntryOfTheFileMovedToDoesNotBringTheOldEntryBack() throws IOException {
    try (FileUsageStore store = keeping()) {
      record(store, event("y", 100));
    }
    compactNow();
    try (FileUsageStore store = keeping()) {
      store.record(B, FEB, List.of(event("y", 200, FEB, "m")), 10); // replaces the file's JAN entry
      store.resetPeriod(B, FEB);
      RecordResult result = record(store, event("y", 50));
      assertThat(result.recorded()).as("y was dropped by the reset, not a duplicate of its JAN entry").isEqualTo(1);
      assertThat(store.periodTotals(B, JAN).used()).isEqualTo(50);
    }
    try (FileUsageStore store = keeping()) {
      assertThat(store.periodTotals(B, JAN).used()).isEqualTo(50);
      assertThat(record(store, event("y", 50)).duplicates()).isEqualTo(1);
      store.resetPeriod(B, JAN);
      store.record(B, FEB, List.of(event("y", 200, FEB, "m")), 10);
      store.resetPeriod(B, FEB);
    }
    try (FileUsageStore store = keeping()) {
      assertThat(record(store, event("y", 10)).recorded()).isEqualTo(1);
    }
    compactNow();
    try (FileUsageStore store = keeping()) {
      assertThat(record(store, event("y", 10)).duplicates()).isEqualTo(1);
      assertThat(record(store, event("y", 60)).replaced()).isEqualTo(1);
      assertThat(store.periodTotals(B, JAN).used()).isEqualTo(60);
      assertThat(store.periodTotals(B, FEB).used()).isZero();
    }
  }

  @Test
  void storeOfFormat1OpensAndIsRewrittenInFormat2() throws IOException {
    Files.createDirectories(state());
    try (OutputStream out = Files.newOutputStream(state().resolve("snapshot.json"));
        JsonGenerator g = JournalCodec.JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("format", 1);
      g.writeStringField("kind", "tokenwatch-snapshot");
      g.writeNumberField("generation", 4);
      g.writeArrayFieldStart("budgets");
      g.writeStartObject();
      g.writeStringField("name", B);
      g.writeNumberField("historyCapacity", 10);
      g.writeArrayFieldStart("periods");
      g.writeStartObject();
      g.writeStringField("start", "2026-01-01T00:00:00Z");
      g.writeArrayFieldStart("claims");
      g.writeNumber(0.5);
      g.writeEndArray();
      g.writeArrayFieldStart("models");
      g.writeStartObject();
      g.writeStringField("model", "m");
      for (String f : List.of("input", "output", "cacheCreation", "cacheRead")) {
        g.writeNumberField(f, f.equals("input") ? 300 : 0);
      }
      g.writeNumberField("total", 300);
      g.writeNumberField("calls", 2);
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeArrayFieldStart("models");
      g.writeString("m");
      g.writeEndArray();
      g.writeArrayFieldStart("counted");
      for (long[] row : new long[][] {{RequestKeys.of(B, "r1"), 0, 0, 100, 0, 0, 0, 100},
          {RequestKeys.of(B, "r2"), 0, 0, 200, 0, 0, 0, 200}}) {
        g.writeArray(row, 0, row.length);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("history");
      JournalCodec.writeEvent(g, event("r1", 100));
      JournalCodec.writeEvent(g, event("r2", 200));
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    }
    JournalCodec.Buffer journal = new JournalCodec.Buffer(512);
    JournalCodec.appendHeader(journal, 4);
    JournalCodec.appendRecorded(journal, B, 10, List.of(event("r3", 300)));
    Files.write(state().resolve("journal-4.log"), Arrays.copyOf(journal.array(), journal.size()));

    try (FileUsageStore store = keeping()) {
      assertThat(store.periodTotals(B, JAN).used()).isEqualTo(600);
      assertThat(store.claimedThresholds(B, JAN)).containsExactly(0.5);
      assertThat(store.history(B, 10)).extracting(TokenUsageEvent::requestId).containsExactly("r1", "r2", "r3");
      assertThat(generation()).isEqualTo(5);
      try (Stream<Path> files = Files.list(state())) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("snapshot.json", "dedup-5.bin", "journal-5.log", "tokenwatch.lock");
      }
      assertThat(record(store, event("r1", 100), event("r3", 300)).duplicates()).isEqualTo(2);
      assertThat(record(store, event("r2", 250)).replaced()).isEqualTo(1);
    }
    try (FileUsageStore store = keeping()) {
      assertThat(store.periodTotals(B, JAN).used()).isEqualTo(650);
      assertThat(store.periodTotals(B, JAN).calls()).isEqualTo(3);
      assertThat(record(store, event("r1", 100), event("r2", 250), event("r3", 300)).duplicates()).isEqualTo(3);
    }
  }

  @Test
  void compactionInterruptedAfterWritingTheNextFileRewritesIt() throws IOException {
    try (FileUsageStore store = keeping()) {
      record(store, event("r1", 100), event("r2", 200));
    }
    JournalCodec.Buffer seal = new JournalCodec.Buffer(64);
    JournalCodec.appendSealed(seal, 1);
    Files.write(state().resolve("journal-0.log"), Arrays.copyOf(seal.array(), seal.size()),
        StandardOpenOption.APPEND);
    // The dead process got as far as a (here: half-written) file of the next generation.
    Files.write(state().resolve("dedup-1.bin"), new byte[] {1, 2, 3});
    Files.write(state().resolve("dedup-1.bin.tmp"), new byte[] {4});

    try (FileUsageStore store = keeping()) {
      assertThat(store.periodTotals(B, JAN).used()).isEqualTo(300);
      assertThat(record(store, event("r2", 200)).duplicates()).isEqualTo(1);
    }
    assertThat(generation()).isEqualTo(1);
    assertThat(state().resolve("dedup-0.bin")).doesNotExist();
    try (FileUsageStore store = keeping()) {
      assertThat(record(store, event("r1", 100)).duplicates()).isEqualTo(1);
    }
  }

  @Test
  void missingFileIsRefusedNamingIt() throws IOException {
    try (FileUsageStore store = keeping()) {
      record(store, event("r1", 100));
    }
    compactNow();
    Path file = state().resolve(DedupFile.fileName(generation()));
    Files.delete(file);
    assertThatThrownBy(this::keeping)
        .isInstanceOf(StoreFileException.class)
        .hasMessageContaining(file + ": is missing");
  }

  @Test
  void damagedFileIsRefusedByTheNextCompactionAndNotCopiedForward() throws IOException {
    try (FileUsageStore store = keeping()) {
      store.record(B, JAN, events("a", 100, 10), 10);
    }
    compactNow();
    long generation = generation();
    Path file = state().resolve(DedupFile.fileName(generation));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      // the input of record 50 of the first section (b's or the filler's: both have 200 entries)
      channel.write(ByteBuffer.allocate(8).putLong(0, 99_999), 24 + 50 * 56 + 16);
    }
    byte[] damaged = Files.readAllBytes(file);
    try (FileUsageStore store = compacting()) {
      // Durable in the journal; the compaction after it (due: the journal outgrows snapshot and
      // file) refuses the damaged file and logs why.
      assertThat(store.record(B, JAN, events("new", 200, 1), 10).recorded()).isEqualTo(200);
      assertThatThrownBy(() -> record(store, event("newer", 1)))
          .isInstanceOf(StoreFileException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("checksum");
    }
    assertThat(generation()).isEqualTo(generation);
    assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
  }

  private static List<ChargedEvent> concat(List<ChargedEvent> a, List<ChargedEvent> b) {
    List<ChargedEvent> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
