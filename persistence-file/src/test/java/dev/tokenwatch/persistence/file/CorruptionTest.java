package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.testing.CapturedLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.ChargedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged files: a torn tail is dropped with a warning; anything else is refused and left as it is. */
class CorruptionTest {

  private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path directory;

  private Path state() {
    return directory.resolve("state");
  }

  private Path journal() {
    return state().resolve("journal-0.log");
  }

  private static ChargedEvent event(String id, long input) {
    return new ChargedEvent(TokenUsageEvent.builder("m").inputTokens(input).timestamp(JAN).requestId(id).build(), JAN);
  }

  /** Writes three single-event records (100, 200, 300 tokens): journal lines 2 to 4. */
  private void writeThree() {
    try (FileUsageStore store = new FileUsageStore(state())) {
      for (int i = 1; i <= 3; i++) {
        store.record("b", JAN, List.of(event("r" + i, 100L * i)), 10);
      }
    }
  }

  private static long offsetOfLine(byte[] data, int line) {
    int seen = 1;
    for (int i = 0; i < data.length; i++) {
      if (seen == line) {
        return i;
      }
      if (data[i] == '\n') {
        seen++;
      }
    }
    throw new IllegalArgumentException("no line " + line);
  }

  @Test
  void tornLastRecordIsDroppedWithAWarningAndCutOffAtTheNextAppend() throws IOException {
    writeThree();
    byte[] intact = Files.readAllBytes(journal());
    // what a kill in the middle of a write leaves: the start of a record, no line end
    byte[] torn = "1b2c3d4e {\"op\":\"record\",\"budget\":\"b\",\"histo".getBytes(StandardCharsets.UTF_8);
    Files.write(journal(), torn, StandardOpenOption.APPEND);

    try (CapturedLog log = CapturedLog.attachTo(FileUsageStore.class.getName()); FileUsageStore store = new FileUsageStore(state())) {
      assertThat(store.periodTotals("b", JAN).used()).isEqualTo(600);
      assertThat(log.messages()).singleElement().asString()
          .startsWith("WARN").contains(journal().toString()).contains("byte offset " + intact.length);
      assertThat(Files.readAllBytes(journal())).as("reading alone changes nothing").hasSize(intact.length + torn.length);

      store.record("b", JAN, List.of(event("r4", 400)), 10);
    }
    byte[] after = Files.readAllBytes(journal());
    assertThat(new String(after, StandardCharsets.UTF_8)).doesNotContain("\"histo\n").endsWith("\n");
    assertThat(after).startsWith(intact);
    try (CapturedLog log = CapturedLog.attachTo(FileUsageStore.class.getName()); FileUsageStore store = new FileUsageStore(state())) {
      assertThat(store.periodTotals("b", JAN).used()).isEqualTo(1000);
      assertThat(log.messages()).isEmpty();
    }
  }

  @Test
  void lastRecordWithBadChecksumIsTreatedAsTorn() throws IOException {
    writeThree();
    byte[] data = Files.readAllBytes(journal());
    data[data.length - 5] ^= 0x01; // inside the last record's JSON
    Files.write(journal(), data);
    try (CapturedLog log = CapturedLog.attachTo(FileUsageStore.class.getName()); FileUsageStore store = new FileUsageStore(state())) {
      assertThat(store.periodTotals("b", JAN).used()).isEqualTo(300);
      assertThat(log.messages()).singleElement().asString().contains("checksum mismatch");
    }
  }

  @Test
  void garbageInTheMiddleIsRefusedNamingFileAndOffsetAndNothingIsWritten() throws IOException {
    writeThree();
    byte[] data = Files.readAllBytes(journal());
    long line3 = offsetOfLine(data, 3);
    data[(int) line3 + 20] = '#';
    Files.write(journal(), data);

    assertThatThrownBy(() -> new FileUsageStore(state()))
        .isInstanceOf(StoreFileException.class)
        .hasMessageContaining(journal().toString())
        .hasMessageContaining("byte offset " + line3)
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining("records follow it")
        .satisfies(e -> assertThat(((StoreFileException) e).offset()).isEqualTo(line3));
    assertThat(Files.readAllBytes(journal())).isEqualTo(data);
  }

  @Test
  void snapshotOfANewerFormatIsRefusedAndLeftUntouched() throws IOException {
    writeThree();
    String newer = "{\"format\":3,\"kind\":\"tokenwatch-snapshot\",\"generation\":0,\"budgets\":[],\"future\":true}";
    Path snapshot = state().resolve("snapshot.json");
    Files.writeString(snapshot, newer);
    byte[] journalBefore = Files.readAllBytes(journal());

    assertThatThrownBy(() -> new FileUsageStore(state()))
        .isInstanceOf(StoreFileException.class)
        .hasMessageContaining(snapshot.toString())
        .hasMessageContaining("format version 3")
        .hasMessageContaining("upgrade tokenwatch");
    assertThat(Files.readString(snapshot)).isEqualTo(newer);
    assertThat(Files.readAllBytes(journal())).isEqualTo(journalBefore);
  }

  @Test
  void journalOfANewerFormatIsRefused() throws IOException {
    writeThree();
    byte[] data = Files.readAllBytes(journal());
    String rest = new String(data, StandardCharsets.UTF_8).substring((int) offsetOfLine(data, 2));
    JournalCodec.Buffer header = new JournalCodec.Buffer(64);
    JournalCodec.appendLine(header, g -> {
      g.writeNumberField("format", 3);
      g.writeStringField("kind", "tokenwatch-journal");
      g.writeNumberField("generation", 0);
    });
    String newer = new String(header.array(), 0, header.size(), StandardCharsets.UTF_8) + rest;
    Files.writeString(journal(), newer);

    assertThatThrownBy(() -> new FileUsageStore(state()))
        .isInstanceOf(StoreFileException.class)
        .hasMessageContaining(journal().toString())
        .hasMessageContaining("format version 3");
    assertThat(Files.readString(journal())).isEqualTo(newer);
  }

  @Test
  void emptySnapshotIsRefused() throws IOException {
    writeThree();
    Path snapshot = state().resolve("snapshot.json");
    Files.write(snapshot, new byte[0]);
    assertThatThrownBy(() -> new FileUsageStore(state()))
        .isInstanceOf(StoreFileException.class)
        .hasMessageContaining(snapshot.toString())
        .hasMessageContaining("is empty");
    assertThat(snapshot).isEmptyFile();
  }

  @Test
  void emptyJournalIsRefused() throws IOException {
    writeThree();
    Files.write(journal(), new byte[0]);
    assertThatThrownBy(() -> new FileUsageStore(state()))
        .isInstanceOf(StoreFileException.class)
        .hasMessageContaining(journal().toString())
        .hasMessageContaining("is empty");
    assertThat(journal()).isEmptyFile();
  }

  @Test
  void malformedSnapshotNamesTheByteOffset() throws IOException {
    writeThree();
    Path snapshot = state().resolve("snapshot.json");
    Files.writeString(snapshot, "{\"format\":1,\"kind\":\"tokenwatch-snapshot\",\"generation\":0,\"budgets\":[{\"name\":");
    assertThatThrownBy(() -> new FileUsageStore(state()))
        .isInstanceOf(StoreFileException.class)
        .hasMessageContaining(snapshot.toString())
        .hasMessageContaining("at byte offset ");
  }

  @Test
  void missingSnapshotWithJournalsIsRefused() throws IOException {
    writeThree();
    Files.delete(state().resolve("snapshot.json"));
    assertThatThrownBy(() -> new FileUsageStore(state()))
        .isInstanceOf(StoreFileException.class)
        .hasMessageContaining("snapshot.json: is missing, but journals exist");
    try (Stream<Path> files = Files.list(state())) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("snapshot.json");
    }
  }

  @Test
  void compactionInterruptedAfterTheSealIsCompletedOnOpen() throws IOException {
    writeThree();
    JournalCodec.Buffer seal = new JournalCodec.Buffer(64);
    JournalCodec.appendSealed(seal, 1); // the compacting process died right after sealing
    Files.write(journal(), java.util.Arrays.copyOf(seal.array(), seal.size()), StandardOpenOption.APPEND);

    try (FileUsageStore store = new FileUsageStore(state())) {
      assertThat(store.periodTotals("b", JAN).used()).isEqualTo(600);
      store.record("b", JAN, List.of(event("r4", 400)), 10);
    }
    assertThat(state().resolve("journal-1.log")).exists();
    assertThat(journal()).doesNotExist();
    assertThat(Files.readString(state().resolve("snapshot.json"))).contains("\"generation\":1");
    try (FileUsageStore store = new FileUsageStore(state())) {
      assertThat(store.periodTotals("b", JAN).used()).isEqualTo(1000);
      assertThat(store.record("b", JAN, List.of(event("r2", 200)), 10).duplicates()).isEqualTo(1);
    }
  }
}
