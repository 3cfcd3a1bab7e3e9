package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state directory: location, permissions, access problems, sharing within one JVM, batching. */
class DirectoryTest {

  private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  private static final BudgetWindow WINDOW =
      new BudgetWindow("b", JAN, Instant.parse("2026-02-01T00:00:00Z"), UsageFilter.ANY);

  @TempDir
  Path directory;

  private static TokenUsageEvent event(String id) {
    return TokenUsageEvent.builder("m").inputTokens(5).timestamp(JAN).requestId(id).build();
  }

  @Test
  void defaultDirectoryFollowsXdgStateHome() {
    assertThat(FileUsageStore.defaultDirectory("/xdg/state", "/home/u")).isEqualTo(Path.of("/xdg/state/tokenwatch"));
    assertThat(FileUsageStore.defaultDirectory(null, "/home/u")).isEqualTo(Path.of("/home/u/.local/state/tokenwatch"));
    assertThat(FileUsageStore.defaultDirectory("", "/home/u")).isEqualTo(Path.of("/home/u/.local/state/tokenwatch"));
    assertThat(FileUsageStore.defaultDirectory("relative/state", "/home/u"))
        .as("the XDG spec says relative paths are ignored").isEqualTo(Path.of("/home/u/.local/state/tokenwatch"));
  }

  @Test
  void directoryIsPrivateAndFilesAreOwnerOnly() throws IOException {
    assumeTrue(StoreFiles.posix(), "the file system has no POSIX permissions");
    Path state = directory.resolve("nested/state");
    try (FileUsageStore store = FileUsageStore.builder(state).compactAfterBytes(1).build()) {
      store.record(List.of(event("a")), List.of(WINDOW)); // compacts: every file rewritten
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    try (Stream<Path> files = Files.list(state)) {
      List<Path> all = files.toList();
      assertThat(all).extracting(p -> p.getFileName().toString())
          .containsExactlyInAnyOrder("tokenwatch.lock", "manifest", "events-1.dat", "ids-1.dat", "journal-1.log");
      for (Path f : all) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void directoryWithoutPermissionIsRefused() throws IOException {
    assumeTrue(StoreFiles.posix(), "the file system has no POSIX permissions");
    Path state = directory.resolve("state");
    try (FileUsageStore store = new FileUsageStore(state)) {
      store.record(List.of(event("a")), List.of());
    }
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("---------"));
    try {
      assumeFalse(Files.isReadable(state) && Files.isWritable(state),
          "running as root (or with CAP_DAC_OVERRIDE): permissions do not restrict this user, so an unreadable"
              + " directory cannot be made; see pathThatIsNotADirectoryIsRefused for the same check");
      assertThatThrownBy(() -> new FileUsageStore(state))
          .isInstanceOf(StoreFileException.class)
          .hasMessageContaining(state.toString())
          .hasMessageContaining("not readable");
    } finally {
      Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void pathThatIsNotADirectoryIsRefused() throws IOException {
    Path file = Files.writeString(directory.resolve("state"), "not a directory");
    assertThatThrownBy(() -> new FileUsageStore(file))
        .isInstanceOf(StoreFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("is not a directory");
    assertThat(file).hasContent("not a directory");

    Path below = file.resolve("tokenwatch");
    assertThatThrownBy(() -> new FileUsageStore(below))
        .isInstanceOf(StoreFileException.class)
        .hasMessageContaining(below.toString())
        .hasMessageContaining("cannot create the state directory");
  }

  @Test
  void twoStoresOnOneDirectoryInOneJvmSeeEachOther() {
    Path state = directory.resolve("state");
    try (FileUsageStore a = FileUsageStore.builder(state).compactAfterEvents(3).build();
        FileUsageStore b = FileUsageStore.builder(state).compactAfterEvents(3).build()) {
      for (int i = 0; i < 20; i++) {
        (i % 2 == 0 ? a : b).record(List.of(event("e" + i)), List.of(WINDOW));
        assertThat((i % 2 == 0 ? b : a).record(List.of(event("e" + i)), List.of(WINDOW)).duplicates()).isEqualTo(1);
      }
      assertThat(a.claimThreshold(WINDOW, 0.5)).isTrue();
      assertThat(b.claimThreshold(WINDOW, 0.5)).isFalse();
      assertThat(a.windowTotals(WINDOW).totalTokens()).isEqualTo(100);
      assertThat(b.windowTotals(WINDOW).totalTokens()).isEqualTo(100);
    }
  }

  @Test
  void batchIsOneJournalRecordAndDuplicatesWriteNothing() throws IOException {
    Path state = directory.resolve("state");
    List<TokenUsageEvent> batch = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      batch.add(event("id-" + i));
    }
    try (FileUsageStore store = new FileUsageStore(state)) {
      store.record(batch, List.of(WINDOW));
      long size = Files.size(state.resolve("journal-0.log"));
      assertThat(store.record(batch, List.of(WINDOW)).duplicates()).isEqualTo(1_000);
      assertThat(Files.size(state.resolve("journal-0.log"))).as("nothing written for duplicates").isEqualTo(size);
    }
    byte[] journal = Files.readAllBytes(state.resolve("journal-0.log"));
    int length = BinaryIn.intAt(journal, Journal.HEADER_BYTES);
    assertThat(Journal.HEADER_BYTES + JournalRecord.FRAME + length).as("header and one record")
        .isEqualTo(journal.length);
  }

  @Test
  void closedStoreRefusesCalls() {
    FileUsageStore store = new FileUsageStore(directory.resolve("state"));
    store.close();
    store.close();
    assertThatThrownBy(() -> store.windowTotals(WINDOW)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> store.record(List.of(event("x")), List.of())).isInstanceOf(IllegalStateException.class);
  }
}
