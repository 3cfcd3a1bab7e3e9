package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.port.RecordResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store of the current format whose manifest was written by Jackson (the fixture {@code
 * format4-store}, written by the code before the manifest lost Jackson, running {@code
 * MakeFormat4.java.txt} beside it) opens with every event, total, claim and the retention cutoff; its
 * journal's replacements of compacted events (looked up in the id index only when needed) hold, also
 * across a restart and a compaction; and the manifest the new writer makes is the same JSON to Jackson.
 */
class Format4StoreTest {

  private static final Instant BASE = Instant.parse("2026-01-10T08:00:00Z");
  private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant FEB = Instant.parse("2026-02-01T00:00:00Z");
  private static final BudgetWindow ALL = new BudgetWindow("all", JAN, FEB, UsageFilter.ANY);
  private static final String ODD_TAG = "a\"b\\c d é€";
  private static final BudgetWindow ODD = new BudgetWindow("odd \"quoted\" \\ é", JAN, FEB,
      UsageFilter.ANY.withTag("team", ODD_TAG));

  @TempDir
  Path directory;

  private Path state;

  /** As MakeFormat4 made them. */
  private static TokenUsageEvent event(int i, long input) {
    return TokenUsageEvent.builder("claude-opus-4").inputTokens(input).outputTokens(10L * i)
        .timestamp(BASE.plusSeconds(3600L * i)).requestId("id-" + i).project("p" + (i % 2))
        .tag("team", i % 2 == 0 ? ODD_TAG : "ads").costNanoUsd(1000L * i).build();
  }

  /** The live events of the fixture by time: 1 to 5 compacted, 2 and 4 replaced in the journal, 6 and 7 there too. */
  private static List<TokenUsageEvent> fixtureEvents() {
    return new ArrayList<>(List.of(event(1, 100), event(2, 250), event(3, 100), event(4, 400), event(5, 100),
        event(6, 100), event(7, 100)));
  }

  @BeforeEach
  void copyFixture() throws IOException {
    state = StoreFixture.copy("format4-store", directory.resolve("state"));
  }

  private static void assertHolds(FileUsageStore store, List<TokenUsageEvent> expected) {
    assertThat(store.history(UsageFilter.ANY, 100)).containsExactlyElementsOf(expected);
    assertThat(store.query(UsageQuery.all()).total()).isEqualTo(StoreFixture.sum(expected, ALL));
    assertThat(store.windowTotals(ALL)).isEqualTo(StoreFixture.sum(expected, ALL));
    assertThat(store.windowTotals(ODD)).isEqualTo(StoreFixture.sum(expected, ODD));
    assertThat(store.claimedThresholds(ALL)).containsExactly(0.5, 0.9);
    assertThat(store.claimedThresholds(ODD)).containsExactly(0.8);
    assertThat(store.retainedFrom()).isEqualTo(JAN);
  }

  @Test
  void opensAsWrittenAndKeepsDeduplicatingAcrossRestartsAndCompaction() {
    List<TokenUsageEvent> expected = fixtureEvents();
    assertThat(StoreFixture.sum(expected, ALL).totalTokens()).isEqualTo(1430); // as MakeFormat4 printed
    try (FileUsageStore store = new FileUsageStore(state)) {
      assertHolds(store, expected);
    }
    try (FileUsageStore store = FileUsageStore.builder(state).compactAfterEvents(1).build()) {
      // compacted (1), replaced in the journal (2: same size; 4: smaller), replaced now (3), new (8)
      RecordResult result = store.record(List.of(event(1, 100), event(2, 250), event(4, 300), event(3, 500),
          event(8, 100)), List.of(ALL, ODD));
      assertThat(Arrays.asList(result.recorded(), result.replaced(), result.duplicates())).containsExactly(1, 1, 3);
      expected.set(2, event(3, 500));
      expected.add(event(8, 100));
      assertHolds(store, expected);
      store.record(List.of(event(9, 100)), List.of(ALL)); // compacts (after 1 event)
      expected.add(event(9, 100));
      assertHolds(store, expected);
    }
    assertThat(state.resolve("manifest")).content().doesNotContain("\"generation\":1,").contains("\"events\":9}");
    try (FileUsageStore store = new FileUsageStore(state)) {
      assertHolds(store, expected);
      RecordResult again = store.record(fixtureEvents(), List.of(ALL));
      assertThat(again.duplicates()).isEqualTo(7);
    }
  }

  @Test
  void theNewWriterWritesTheSameJsonAsJacksonDid() throws IOException {
    byte[] old = Files.readAllBytes(state.resolve("manifest"));
    ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
    Manifest.read(state.resolve("manifest")).write(rewritten);
    ObjectMapper jackson = new ObjectMapper();
    JsonNode before = jackson.readTree(Arrays.copyOfRange(old, 9, old.length - 1));
    byte[] now = rewritten.toByteArray();
    JsonNode after = jackson.readTree(Arrays.copyOfRange(now, 9, now.length - 1));
    assertThat(after).isEqualTo(before);
    assertThat(after.path("windows").get(1).path("scope").asText()).endsWith("tags=team=" + ODD_TAG.replace("\\", "\\\\")
        + ",");
    assertThat(new String(now, StandardCharsets.UTF_8)).isEqualTo(new String(old, StandardCharsets.UTF_8));
  }
}
