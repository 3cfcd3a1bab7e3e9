package dev.tokenwatch.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.UsageStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Reconciliation} on real files and the in-memory store: pending files of a dead process
 * (a pid above Linux's largest) and of this one (alive), resolved against what the store holds.
 */
class ReconciliationTest {

  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  private static final String DEAD = "999999999-1-1";

  @TempDir
  Path state;

  private final UsageStore store = new InMemoryUsageStore();

  private static TokenUsageEvent event(String id, long input, int second) {
    return TokenUsageEvent.builder("claude-sonnet-4").inputTokens(input).outputTokens(2).requestId(id)
        .project("p").tag("team", "search").costNanoUsd(1_234_567_891L)
        .timestamp(Instant.parse("2026-11-20T10:00:00Z").plusSeconds(second).plusNanos(17)).build();
  }

  private AuditFile trail() {
    return new AuditFile(state.resolve(FileAuditTrail.FILE_NAME), FileAuditTrail.MAX_FILE_BYTES, 4);
  }

  private Path pendingFile(String stem, String... lines) throws IOException {
    Path dir = Files.createDirectories(state.resolve(PendingOps.DIRECTORY));
    return Files.writeString(dir.resolve(stem + PendingOps.SUFFIX), String.join("", lines), StandardCharsets.UTF_8);
  }

  private static String begun(long op, TokenUsageEvent... events) {
    return new String(AuditJson.pending(op, List.of(events)), StandardCharsets.UTF_8);
  }

  private Reconciliation.Outcome reconcile() throws IOException {
    try (AuditFile trail = trail()) {
      return Reconciliation.run(trail, state.resolve(PendingOps.DIRECTORY), store, NOW);
    }
  }

  private List<JsonNode> lines() throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    AuditLines.forEach(state.resolve(FileAuditTrail.FILE_NAME), lines::add);
    return lines;
  }

  @Test
  void eventsACommittedOperationLeftOutOfTheTrailAreRecoveredOnce() throws Exception {
    TokenUsageEvent withId = event("r1", 10, 0);
    TokenUsageEvent withoutId = event(null, 3, 1);
    store.record(List.of(withId, withoutId), List.of());
    Path dead = pendingFile(DEAD, begun(1, withId, withoutId), "{\"op\":2,\"events\":[{\"mod"); // cut by the kill

    assertThat(reconcile()).isEqualTo(new Reconciliation.Outcome(1, 2, 0));

    assertThat(lines()).singleElement().satisfies(line -> {
      assertThat(line.get("event").asText()).isEqualTo("recovered");
      assertThat(line.get("level").asText()).isEqualTo("WARN");
      assertThat(line.get("op").asText()).isEqualTo(DEAD + "/1");
      assertThat(line.get("time").asText()).isEqualTo("2026-11-20T12:00:00Z");
      assertThat(AuditLines.events(line)).containsExactly(withId, withoutId);
      assertThat(line.get("notRecorded").asInt()).isZero();
    });
    assertThat(dead).doesNotExist();
    assertThat(reconcile()).isEqualTo(Reconciliation.Outcome.NONE);
    assertThat(lines()).hasSize(1);
  }

  @Test
  void anOperationTheStoreDidNotApplyIsClosedAsNotRecorded() throws Exception {
    pendingFile(DEAD, begun(7, event("r1", 10, 0), event(null, 3, 1)));

    assertThat(reconcile()).isEqualTo(new Reconciliation.Outcome(1, 0, 2));

    assertThat(lines()).singleElement().satisfies(line -> {
      assertThat(line.get("level").asText()).isEqualTo("INFO");
      assertThat(line.get("recovered").asInt()).isZero();
      assertThat(line.get("notRecorded").asInt()).isEqualTo(2);
      assertThat(AuditLines.events(line)).isEmpty();
    });
  }

  @Test
  void anOperationWhoseRecordIsInTheTrailOrWasEndedNeedsNothing() throws Exception {
    TokenUsageEvent first = event("r1", 10, 0);
    TokenUsageEvent second = event("r2", 10, 0);
    TokenUsageEvent third = event("r3", 10, 0);
    store.record(List.of(first, second, third), List.of());
    try (FileAuditTrail trail = FileAuditTrail.in(state)) {
      // what op 2's tracking record looked like: the kill came after it, before the pending file was emptied
      TokenTracker.builder(TokenBudget.of(1_000_000, BudgetPeriod.MONTHLY)).clock(() -> NOW).auditTrail(
          record -> {
            try {
              trail.file().getParent().toFile().mkdirs();
              Files.write(trail.file(), AuditJson.line(record, DEAD + "/2"));
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).build().trackAll(List.of(second));
    }
    Path dead = pendingFile(DEAD, begun(1, first), begun(2, second), begun(3, third), "{\"done\":1}\n");

    assertThat(reconcile()).isEqualTo(new Reconciliation.Outcome(1, 1, 0));

    assertThat(lines()).hasSize(2).last().satisfies(line -> {
      assertThat(line.get("op").asText()).isEqualTo(DEAD + "/3");
      assertThat(AuditLines.events(line)).containsExactly(third);
    });
    assertThat(dead).doesNotExist();
  }

  @Test
  void whatTheTrailNamesAlreadyIsNotRecoveredAgain() throws Exception {
    TokenUsageEvent counted = event("r1", 10, 0);
    TokenUsageEvent noId = event(null, 3, 1);
    store.record(List.of(counted, noId, noId), List.of());
    Files.write(state.resolve(FileAuditTrail.FILE_NAME),
        AuditJson.recovered(NOW, "earlier/1", List.of(counted, noId), 0));
    // the dead operation repeated r1 (a duplicate) and added a second event just like noId
    pendingFile(DEAD, begun(1, counted, noId));

    assertThat(reconcile()).isEqualTo(new Reconciliation.Outcome(1, 1, 1));

    assertThat(AuditLines.events(lines().get(1))).containsExactly(noId);
  }

  @Test
  void aReplacementIsRecoveredInTheFormTheStoreHolds() throws Exception {
    TokenUsageEvent smaller = event("r1", 10, 0);
    TokenUsageEvent larger = event("r1", 50, 0);
    TokenUsageEvent notKept = event("r1", 20, 0);
    store.record(List.of(smaller), List.of());
    Files.write(state.resolve(FileAuditTrail.FILE_NAME), AuditJson.recovered(NOW, "earlier/1", List.of(smaller), 0));
    store.record(List.of(notKept, larger), List.of());
    pendingFile(DEAD, begun(1, notKept, larger));

    assertThat(reconcile()).isEqualTo(new Reconciliation.Outcome(1, 1, 1));

    assertThat(AuditLines.events(lines().get(1))).containsExactly(larger);
  }

  @Test
  void anOperationSharingAnEventWithALiveOneWaits() throws Exception {
    TokenUsageEvent shared = event("r1", 10, 0);
    store.record(List.of(shared), List.of());
    Path dead = pendingFile(DEAD, begun(1, shared));
    Path live = pendingFile(PendingOps.processStem(ProcessHandle.current()) + "-999", begun(4, event("r1", 99, 5)));

    assertThat(reconcile()).isEqualTo(Reconciliation.Outcome.NONE);
    assertThat(dead).exists();
    assertThat(lines()).isEmpty();

    Files.delete(live); // the live operation ended
    assertThat(reconcile()).isEqualTo(new Reconciliation.Outcome(1, 1, 0));
  }

  @Test
  void aTrackerThroughTheWatchedStoreNamesEachOperationAndLeavesNothingPending() throws Exception {
    TokenUsageEvent one = event("r1", 10, 0);
    TokenUsageEvent two = event(null, 3, 1);
    Path pendingFile;
    try (FileAuditTrail trail = FileAuditTrail.in(state)) {
      UsageStore watched = trail.reconcileAndWatch(store, NOW);
      TokenTracker tracker = TokenTracker.builder(TokenBudget.of(1_000_000, BudgetPeriod.MONTHLY)).clock(() -> NOW)
          .store(watched).auditTrail(trail).build();
      tracker.track(one);
      tracker.trackAll(List.of(two, one));
      try (var files = Files.list(state.resolve(PendingOps.DIRECTORY))) {
        pendingFile = files.findFirst().orElseThrow();
      }
      assertThat(pendingFile).isEmptyFile();
    }
    assertThat(lines()).satisfiesExactly(
        line -> assertThat(line.get("op").asText()).endsWith("/1"),
        line -> assertThat(line.get("op").asText()).endsWith("/2"));
    assertThat(lines().get(0).get("op").asText()).startsWith(PendingOps.processStem(ProcessHandle.current()) + "-");
    assertThat(pendingFile).doesNotExist();
  }
}
