package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertKind;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.outbox.PendingAlert;
import dev.tokenwatch.persistence.file.JournalRecord.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox in the file store beyond the contract: two stores on one directory (each with its own
 * state, as two processes have) share entries and leases; compaction carries undelivered and
 * given-up entries and drops delivered ones, and an outbox larger than the compaction threshold does
 * not make every write compact; the records read back as written (a claim without an alert exactly
 * as before the outbox); a journal naming an entry that is not queued is refused.
 */
class OutboxFileTest {

  private static final Instant RAISED = OutboxChild.RAISED;
  private static final Instant LEASE = RAISED.plusSeconds(60);
  private static final Set<String> SINKS = Set.of("console", "slack-1");

  @TempDir
  Path directory;

  private static boolean claim(FileUsageStore store, String budget, int i, String... sinks) {
    return store.claimThreshold(OutboxChild.window(budget), 0.8,
        new AlertClaim(OutboxChild.alert(budget, RAISED.plusMillis(i)), List.of(sinks), LEASE));
  }

  @Test
  void twoStoresOnOneDirectoryShareTheEntriesAndTheirLeases() {
    try (FileUsageStore a = new FileUsageStore(directory); FileUsageStore b = new FileUsageStore(directory)) {
      assertThat(claim(a, "b0", 0, "slack-1")).isTrue();
      assertThat(claim(b, "b0", 1, "slack-1")).as("claimed by the other store").isFalse();
      String id = OutboxChild.alert("b0", RAISED).id();

      assertThat(b.outbox().undelivered()).singleElement().satisfies(e -> assertThat(e.alertId()).isEqualTo(id));
      assertThat(b.outbox().takeDue(SINKS, LEASE.minusMillis(1), LEASE.plusSeconds(60), 10))
          .as("the claimer's lease").isEmpty();
      assertThat(b.outbox().takeDue(SINKS, LEASE, LEASE.plusSeconds(60), 10)).singleElement()
          .satisfies(e -> assertThat(e.attempts()).isEqualTo(2));
      assertThat(a.outbox().takeDue(SINKS, LEASE.plusSeconds(1), LEASE.plusSeconds(120), 10))
          .as("b's lease").isEmpty();

      b.outbox().retryAt(id, "slack-1", LEASE.plusSeconds(30), "HTTP 500");
      assertThat(a.outbox().takeDue(SINKS, LEASE.plusSeconds(30), LEASE.plusSeconds(90), 10)).singleElement()
          .satisfies(e -> {
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e.lastProblem()).isEqualTo("HTTP 500");
          });
      a.outbox().delivered(id, "slack-1");
      assertThat(b.outbox().undelivered()).isEmpty();
    }
  }

  @Test
  void compactionCarriesUndeliveredAndGivenUpEntriesAndDropsDeliveredOnes() throws Exception {
    List<PendingAlert> before;
    try (FileUsageStore store = FileUsageStore.builder(directory).compactAfterEvents(1).build()) {
      for (int i = 0; i < 4; i++) {
        claim(store, "b" + i, i, "console");
      }
      String[] ids = new String[4];
      for (int i = 0; i < 4; i++) {
        ids[i] = OutboxChild.alert("b" + i, RAISED.plusMillis(i)).id();
      }
      store.outbox().delivered(ids[0], "console");
      store.outbox().retryAt(ids[1], "console", LEASE.plusSeconds(5), "timeout");
      store.outbox().giveUp(ids[2], "console", "HTTP 404");
      assertThat(store.outbox().takeDue(SINKS, LEASE.plusSeconds(5), LEASE.plusSeconds(99), 10)).hasSize(2);
      before = store.outbox().undelivered();

      store.record(List.of(TokenUsageEvent.builder("m").outputTokens(5).timestamp(RAISED).build()), List.of());
    }
    Manifest manifest = Manifest.read(directory.resolve(Manifest.NAME));
    assertThat(manifest.generation()).as("compacted").isEqualTo(1);
    List<JournalRecord> carried = new ArrayList<>();
    try (Journal journal = Journal.open(directory.resolve(Manifest.journalName(1)), 1,
        UUID.fromString(manifest.storeId()))) {
      journal.catchUp((record, offset) -> carried.add(record));
    }
    assertThat(carried).as("the delivered entry is gone; the others carried whole, oldest first")
        .containsExactlyElementsOf(before.stream().map(e -> (JournalRecord) new JournalRecord.Pending(e)).toList());
    assertThat(before).extracting(e -> e.alert().budgetName()).containsExactly("b1", "b2", "b3");

    try (FileUsageStore reopened = new FileUsageStore(directory)) {
      assertThat(reopened.outbox().undelivered()).isEqualTo(before);
      assertThat(reopened.claimedThresholds(OutboxChild.window("b0"))).containsExactly(0.8);
    }
  }

  @Test
  void anOutboxLargerThanTheCompactionThresholdDoesNotCompactAtEveryWrite() throws Exception {
    try (FileUsageStore store = FileUsageStore.builder(directory).compactAfterBytes(4096).compactAfterEvents(1)
        .build()) {
      for (int i = 0; i < 12; i++) {
        claim(store, "b" + i, i, "console", "slack-1");
      }
      // compacts (one event): the next journal starts with 24 entries, about 16 KiB
      store.record(List.of(TokenUsageEvent.builder("m").outputTokens(5).timestamp(RAISED).build()), List.of());
      long generation = Manifest.read(directory.resolve(Manifest.NAME)).generation();
      assertThat(Files.size(directory.resolve(Manifest.journalName(generation)))).isGreaterThan(4096);
      for (int i = 0; i < 12; i++) {
        store.outbox().retryAt(OutboxChild.alert("b" + i, RAISED.plusMillis(i)).id(), "console",
            LEASE.plusSeconds(i), "timeout");
      }
      assertThat(Manifest.read(directory.resolve(Manifest.NAME)).generation())
          .as("12 small records after the compaction: none more").isEqualTo(generation);
      assertThat(store.outbox().undelivered()).hasSize(24);
    }
  }

  @Test
  void everyOutboxRecordReadsBackAsWritten() throws Exception {
    String longMessage = "ünïcødé ✓ \n".repeat(8_000); // beyond the 64 KiB of the journal's short strings
    Alert alert = OutboxChild.alert("b", RAISED);
    Alert forecast = new Alert(alert.level(), 1.0, 0.5, longMessage, RAISED, "b", 500, 1000, alert.period(),
        alert.periodEnd(), alert.unit(), alert.scope(), alert.counts(), AlertKind.FORECAST, RAISED.plusSeconds(9));
    Entry entry = new Entry(alert.id(), "slack-1");
    List<JournalRecord> records = List.of(
        new JournalRecord.Claimed("b|k", RAISED, LEASE, 0.8,
            new AlertClaim(alert, List.of("console", "slack-1"), LEASE)),
        new JournalRecord.Claimed("b|k", RAISED, LEASE, 1.0, new AlertClaim(forecast, List.of(), LEASE)),
        new JournalRecord.Taken(LEASE, List.of(entry, new Entry(alert.id(), "console"))),
        new JournalRecord.Delivered(entry),
        new JournalRecord.Retried(entry, LEASE.plusNanos(7), longMessage),
        new JournalRecord.GaveUp(entry, ""),
        new JournalRecord.Pending(new PendingAlert("slack-1", forecast, RAISED, 7, LEASE, "HTTP 500", true)));
    for (JournalRecord record : records) {
      BinaryOut out = new BinaryOut(64);
      JournalRecord.encode(out, record);
      BinaryIn in = new BinaryIn(out.array(), JournalRecord.FRAME, out.size());
      assertThat(JournalRecord.decode(in, Journal.VERSION)).isEqualTo(record);
    }
  }

  @Test
  void aClaimWithoutAnAlertIsJournaledExactlyAsBeforeTheOutbox() throws Exception {
    BinaryOut out = new BinaryOut(64);
    JournalRecord.encode(out, new JournalRecord.Claimed("key", RAISED, LEASE, 0.5, null));
    BinaryOut expected = new BinaryOut(64); // kind 2, key, start, end, threshold's bits
    expected.putByte(JournalRecord.CLAIMED);
    expected.putString("key");
    for (Instant at : new Instant[] {RAISED, LEASE}) {
      expected.putLong(at.getEpochSecond());
      expected.putInt(at.getNano());
    }
    expected.putLong(Double.doubleToLongBits(0.5));
    assertThat(Arrays.copyOfRange(out.array(), JournalRecord.FRAME, out.size()))
        .isEqualTo(Arrays.copyOf(expected.array(), expected.size()));
  }

  @Test
  void aJournalRecordForAnEntryThatIsNotQueuedIsRefusedNamingTheJournal() throws Exception {
    try (FileUsageStore store = new FileUsageStore(directory)) {
      claim(store, "b0", 0, "console");
    }
    Path journal = directory.resolve(Manifest.journalName(0));
    BinaryOut foreign = new BinaryOut(64);
    JournalRecord.encode(foreign, new JournalRecord.Delivered(new Entry("0123456789abcdef", "console")));
    Files.write(journal, Arrays.copyOf(foreign.array(), foreign.size()), StandardOpenOption.APPEND);

    assertThatThrownBy(() -> new FileUsageStore(directory)).isInstanceOf(StoreFileException.class)
        .hasMessageContaining(journal.toString())
        .hasMessageContaining("outbox entry of alert 0123456789abcdef for sink console is not queued");
  }
}
