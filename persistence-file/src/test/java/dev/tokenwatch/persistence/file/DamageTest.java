package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.testing.CapturedLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage from outside: every file the store relies on (manifest, events file, id index, journal),
 * deleted, truncated or with one byte changed, is refused with a {@link StoreFileException} naming
 * that file, and the directory is left exactly as it was. A torn last journal record, what a crash
 * mid-append leaves, is the one thing dropped (with a warning) rather than refused.
 */
class DamageTest {

  private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  private static final BudgetWindow WINDOW =
      new BudgetWindow("b", JAN, Instant.parse("2026-02-01T00:00:00Z"), UsageFilter.ANY);
  private static final int IN_GENERATION = 40;

  @TempDir
  Path directory;

  private Path state() {
    return directory.resolve("state");
  }

  private static TokenUsageEvent event(int i) {
    return TokenUsageEvent.builder("m-" + (i % 2)).inputTokens(1_000 + i).timestamp(JAN.plusSeconds(i))
        .requestId("r" + i).build();
  }

  private static FileUsageStore open(Path dir) {
    return FileUsageStore.builder(dir).compactAfterEvents(IN_GENERATION).build();
  }

  /**
   * Generation 1 holds 40 events (compacted), its journal 3 more and a claim. Returns the total.
   */
  private long populate() {
    try (FileUsageStore store = open(state())) {
      List<TokenUsageEvent> batch = new ArrayList<>();
      for (int i = 0; i < IN_GENERATION; i++) {
        batch.add(event(i));
      }
      store.record(batch, List.of(WINDOW));
      for (int i = IN_GENERATION; i < IN_GENERATION + 3; i++) {
        store.record(List.of(event(i)), List.of(WINDOW));
      }
      store.claimThreshold(WINDOW, 0.5);
      return store.windowTotals(WINDOW).totalTokens();
    }
  }

  /** Uses the store as commands do: open, query, history, record a duplicate of an id in the index. */
  private void use() {
    try (FileUsageStore store = open(state())) {
      store.query(UsageQuery.all());
      store.history(UsageFilter.ANY, 10);
      store.record(List.of(event(3)), List.of(WINDOW));
    }
  }

  private Map<String, byte[]> contents() throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(state())) {
      for (Path p : list.toList()) {
        files.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  enum Damage { DELETED, TRUNCATED, BYTE_CHANGED }

  static Stream<Object[]> cases() {
    List<Object[]> all = new ArrayList<>();
    for (String file : List.of("manifest", "events-1.dat", "ids-1.dat", "journal-1.log")) {
      for (Damage damage : Damage.values()) {
        all.add(new Object[] {file, damage});
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void damagedFileIsRefusedByNameAndNothingIsTouched(String name, Damage damage) throws IOException {
    long total = populate();
    Path file = state().resolve(name);
    assertThat(file).exists();
    byte[] intact = Files.readAllBytes(file);
    switch (damage) {
      case DELETED -> Files.delete(file);
      case TRUNCATED -> Files.write(file, java.util.Arrays.copyOf(intact, name.startsWith("journal") ? 20
          : intact.length - 1));
      case BYTE_CHANGED -> Files.write(file, changeOneByte(name, intact));
    }
    Map<String, byte[]> before = contents();

    assertThatThrownBy(this::use).isInstanceOf(StoreFileException.class)
        .satisfies(e -> assertThat(((StoreFileException) e).file()).isEqualTo(file))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("restore the directory from a backup");
    Map<String, byte[]> after = contents();
    assertThat(after.keySet()).as("no file added or removed").isEqualTo(before.keySet());
    after.forEach((n, bytes) -> assertThat(bytes).as(n + " unchanged").isEqualTo(before.get(n)));

    Files.write(file, intact); // repaired, the store is whole again
    try (FileUsageStore store = open(state())) {
      assertThat(store.windowTotals(WINDOW).totalTokens()).isEqualTo(total);
      assertThat(store.query(UsageQuery.all()).total().totalTokens()).isEqualTo(total);
    }
  }

  /**
   * One byte changed where it matters for each file: a digit of a window's total in the manifest
   * (still valid JSON), a token count of the first event, a key of the index, a count in the first
   * journal record.
   */
  private static byte[] changeOneByte(String name, byte[] intact) {
    byte[] changed = intact.clone();
    int at;
    if (name.equals("manifest")) {
      String text = new String(intact, StandardCharsets.US_ASCII);
      at = text.indexOf("\"totals\":[") + "\"totals\":[".length();
      assertThat(Character.isDigit(changed[at])).isTrue();
      changed[at] = (byte) (changed[at] == '9' ? '1' : changed[at] + 1);
      return changed;
    }
    at = switch (name) {
      case "events-1.dat" -> 24 + 8 + 8 + 4 + 7; // low byte of the first event's input tokens
      case "ids-1.dat" -> 24 + 3;
      default -> Journal.HEADER_BYTES + JournalRecord.FRAME + 4; // the first record's event count
    };
    changed[at] ^= 0x10;
    return changed;
  }

  @Test
  void tornLastJournalRecordIsDroppedWithAWarningAndCutOffAtTheNextAppend() throws IOException {
    long total = populate();
    Path journal = state().resolve("journal-1.log");
    byte[] intact = Files.readAllBytes(journal);
    // what a kill in the middle of an append leaves: a frame announcing more bytes than follow
    byte[] torn = {0, 0, 1, 0, 1, 2, 3, 4, 1, 0, 0};
    Files.write(journal, torn, StandardOpenOption.APPEND);
    try (CapturedLog log = CapturedLog.attachTo(Journal.class.getName()); FileUsageStore store = open(state())) {
      assertThat(store.windowTotals(WINDOW).totalTokens()).isEqualTo(total);
      assertThat(log.messages()).singleElement().asString().startsWith("WARN").contains(journal.toString())
          .contains("byte offset " + intact.length);
      assertThat(Files.size(journal)).as("reading alone changes nothing").isEqualTo(intact.length + torn.length);
      store.record(List.of(event(99)), List.of(WINDOW));
    }
    byte[] after = Files.readAllBytes(journal);
    assertThat(java.util.Arrays.copyOf(after, intact.length)).isEqualTo(intact);
    try (FileUsageStore store = open(state())) {
      assertThat(store.windowTotals(WINDOW).totalTokens()).isEqualTo(total + event(99).totalTokens());
    }
  }

  @Test
  void deletedManifestIsRefusedNamingItWhileStoreFilesExist() throws IOException {
    populate();
    Files.delete(state().resolve("manifest"));
    Map<String, byte[]> before = contents();
    assertThatThrownBy(this::use).isInstanceOf(StoreFileException.class)
        .hasMessageContaining(state().resolve("manifest").toString()).hasMessageContaining("is missing")
        .hasMessageContaining("journal-1.log");
    assertThat(contents().keySet()).isEqualTo(before.keySet());
  }

  @Test
  void journalOfAnotherStoreIsRefused() throws IOException {
    populate();
    Path other = directory.resolve("other");
    try (FileUsageStore store = open(other)) {
      store.record(List.of(event(1)), List.of());
    }
    Files.copy(other.resolve("journal-0.log"), state().resolve("journal-1.log"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(this::use).isInstanceOf(StoreFileException.class)
        .hasMessageContaining(state().resolve("journal-1.log").toString());
  }
}
