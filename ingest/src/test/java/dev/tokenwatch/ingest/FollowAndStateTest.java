package dev.tokenwatch.ingest;

import static dev.tokenwatch.ingest.Fixtures.append;
import static dev.tokenwatch.ingest.Fixtures.claudeAssistant;
import static dev.tokenwatch.ingest.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.TokenTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowAndStateTest {

  static final String TS = "2025-06-14T09:30:00Z";

  @TempDir Path dir;


  private static void awaitValue(LongSupplier actual, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (actual.getAsLong() != expected) {
      if (System.nanoTime() > deadline) {
        assertThat(actual.getAsLong()).as("value after 20 s").isEqualTo(expected);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aRunOfNoUsageLogKeepsNoPositionWhenAskedAndALogKeepsItsOwn() throws Exception {
    TokenTracker tracker = Fixtures.tracker();
    Path junk = dir.resolve("junk.jsonl");
    write(junk, "<xml>\n<b>not json</b>");
    Path state = dir.resolve("state");
    IngestSummary first = Ingestor.builder(tracker).clock(Fixtures.CLOCK).stateDirectory(state).forgetNoUsageLog(true)
        .build().ingest(List.of(junk.toString()));
    assertThat(first.noUsageLog()).isTrue();
    assertThat(first.malformedLines()).isEqualTo(2);
    IngestSummary again = Ingestor.builder(tracker).clock(Fixtures.CLOCK).stateDirectory(state).forgetNoUsageLog(true)
        .build().ingest(List.of(junk.toString()));
    assertThat(again.lines()).as("read again: no position was kept").isEqualTo(2);
    // without the option (a directory of logs): read once, as any file
    Ingestor.builder(tracker).clock(Fixtures.CLOCK).stateDirectory(state).build().ingest(List.of(junk.toString()));
    assertThat(Ingestor.builder(tracker).clock(Fixtures.CLOCK).stateDirectory(state).forgetNoUsageLog(true).build()
        .ingest(List.of(junk.toString())).lines()).isZero();
    // a log among the inputs: its usage counts, so every position is kept
    Path log = dir.resolve("log.jsonl");
    write(log, claudeAssistant("m1", "r1", "c", 1, 1, 0, 0, TS, "a"));
    write(junk, "<xml>\n<b>not json</b>\n<c/>");
    IngestSummary mixed = Ingestor.builder(tracker).clock(Fixtures.CLOCK).stateDirectory(state).forgetNoUsageLog(true)
        .build().ingest(List.of(junk.toString(), log.toString()));
    assertThat(mixed.noUsageLog()).isFalse();
    assertThat(Ingestor.builder(tracker).clock(Fixtures.CLOCK).stateDirectory(state).forgetNoUsageLog(true).build()
        .ingest(List.of(junk.toString(), log.toString())).lines()).isZero();
  }

  @Test
  void followIngestsAppendedLinesNewFilesAndRotatedFilesUntilStopped() throws Exception {
    TokenTracker tracker = Fixtures.tracker();
    Path logs = dir.resolve("logs");
    Path first = logs.resolve("a.jsonl");
    write(first, claudeAssistant("m1", "r1", "c", 1, 1, 0, 0, TS, "a"));
    Ingestor ingestor = Ingestor.builder(tracker).clock(Fixtures.CLOCK).stateDirectory(dir.resolve("state"))
        .pollInterval(Duration.ofMillis(30)).build();
    CompletableFuture<IngestSummary> running =
        CompletableFuture.supplyAsync(() -> ingestor.follow(List.of(logs.toString())));
    awaitValue(() -> Fixtures.allTime(tracker), 2);

    append(first, claudeAssistant("m2", "r2", "c", 2, 2, 0, 0, TS, "b") + "\n");
    awaitValue(() -> Fixtures.allTime(tracker), 6);

    // half a line first: nothing is counted until the line is complete
    String third = claudeAssistant("m3", "r3", "c", 3, 3, 0, 0, TS, "c");
    append(first, third.substring(0, 50));
    Thread.sleep(200);
    assertThat(Fixtures.allTime(tracker)).isEqualTo(6);
    append(first, third.substring(50) + "\n");
    awaitValue(() -> Fixtures.allTime(tracker), 12);

    write(logs.resolve("sub/b.jsonl"), claudeAssistant("m4", "r4", "c", 4, 4, 0, 0, TS, "d"));
    awaitValue(() -> Fixtures.allTime(tracker), 20);

    // rotation: the file is renamed away and a new one takes its name
    Files.move(first, logs.resolve("a.jsonl.1"), StandardCopyOption.ATOMIC_MOVE);
    write(first, claudeAssistant("m5", "r5", "c", 5, 5, 0, 0, TS, "e"));
    awaitValue(() -> Fixtures.allTime(tracker), 30);

    assertThat(running).isNotDone();
    ingestor.stop();
    IngestSummary summary = running.get(10, TimeUnit.SECONDS);
    assertThat(summary.eventsRecorded()).isEqualTo(5);
    assertThat(summary.tokensAdded()).isEqualTo(30);
    assertThat(summary.filesScanned()).isEqualTo(2);

    // the offsets were saved: a later run has nothing new
    IngestSummary later = Ingestor.builder(tracker).clock(Fixtures.CLOCK).stateDirectory(dir.resolve("state")).build()
        .ingest(List.of(logs.toString()));
    assertThat(later.lines()).isZero();
  }

  @Test
  void aStateFileOfANewerVersionIsRefusedAndLeftAlone() throws Exception {
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    String newer = "{\"version\":2,\"files\":{}}";
    Files.writeString(state.resolve(OffsetStore.FILE_NAME), newer);
    Path file = dir.resolve("s.jsonl");
    write(file, claudeAssistant("m1", "r1", "c", 1, 1, 0, 0, TS, "a"));
    TokenTracker tracker = Fixtures.tracker();
    assertThatThrownBy(() -> Ingestor.builder(tracker).stateDirectory(state).build().ingest(List.of(file.toString())))
        .isInstanceOf(IngestStateException.class).hasMessageContaining("version 2")
        .hasMessageContaining("newer tokenwatch");
    assertThat(Files.readString(state.resolve(OffsetStore.FILE_NAME))).isEqualTo(newer);
    assertThat(Fixtures.allTime(tracker)).isZero();
  }

  @Test
  void aCorruptStateFileIsNeverOverwritten() throws Exception {
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    Files.writeString(state.resolve(OffsetStore.FILE_NAME), "{\"version\":1,\"files\":{\"x\":{\"size\":");
    Path file = dir.resolve("s.jsonl");
    write(file, claudeAssistant("m1", "r1", "c", 1, 1, 0, 0, TS, "a"));
    assertThatThrownBy(() -> Ingestor.builder(Fixtures.tracker()).stateDirectory(state).build()
        .ingest(List.of(file.toString())))
        .isInstanceOf(IngestStateException.class).hasMessageContaining("not valid JSON")
        .hasMessageContaining("left untouched");
    assertThat(Files.readString(state.resolve(OffsetStore.FILE_NAME))).endsWith("\"size\":");
  }

  @Test
  void theStateDocumentIsVersionedJsonAndRoundTrips() throws Exception {
    OffsetStore store = new OffsetStore(dir.resolve("nested/state"));
    assertThat(store.load()).isEmpty();
    var marks = new java.util.TreeMap<String, OffsetStore.FileMark>();
    marks.put("/a/b.jsonl", new OffsetStore.FileMark("(dev=1,ino=2)", 100, 5, 90, 3, 90, -42L,
        java.util.Map.of("codexSession", "s-1", "codexModel", "gpt-5-codex")));
    marks.put("/a/c.jsonl", new OffsetStore.FileMark(null, 0, 0, 0, 0, 0, 0, java.util.Map.of()));
    store.save(marks);
    assertThat(store.load()).isEqualTo(marks);
    assertThat(Files.readString(store.file())).contains("\"version\" : 1");
    try (var files = Files.list(store.file().getParent())) {
      assertThat(files).containsExactly(store.file()); // no temporary file left behind
    }
  }
}
