package dev.tokenwatch.ingest;

import static dev.tokenwatch.ingest.Fixtures.claudeAssistant;
import static dev.tokenwatch.ingest.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.Clock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 item 5: a line stamped ahead of the clock is kept for a later run, never dropped. */
class FutureLinesTest {

  static final Instant NOW = Fixtures.NOW;

  @TempDir Path dir;

  private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
  private final Clock clock = now::get;
  private final TokenTracker tracker = TokenTracker.builder(TokenBudget.of(1_000_000_000L, BudgetPeriod.MONTHLY))
      .store(new InMemoryUsageStore()).clock(clock).build();

  private IngestSummary ingest(Path file) {
    return Ingestor.builder(tracker).clock(clock).stateDirectory(dir.resolve("state")).build()
        .ingest(List.of(file.toString()));
  }


  private static String at(Duration fromNow, String id, long out) {
    return claudeAssistant(id, "r-" + id, "claude-sonnet-4", 1, out, 0, 0, NOW.plus(fromNow).toString(), "x");
  }

  @Test
  void aLineAheadOfTheClockStopsTheOffsetsBeforeItAndALaterRunCountsIt() {
    Path file = dir.resolve("s.jsonl");
    write(file, at(Duration.ofMinutes(-1), "m1", 1), at(Duration.ofMinutes(10), "m2", 2),
        at(Duration.ofMinutes(-1), "m3", 3));

    IngestSummary first = ingest(file);
    assertThat(first.eventsRecorded()).isEqualTo(1);
    assertThat(first.malformedLines()).isZero();
    assertThat(first.futureLines()).isEqualTo(2);
    assertThat(first.firstFuture()).singleElement().satisfies(line -> {
      assertThat(line.source()).isEqualTo(file.toAbsolutePath().toString());
      assertThat(line.line()).isEqualTo(2);
      assertThat(line.reason()).isEqualTo("timestamp " + NOW.plus(Duration.ofMinutes(10))
          + " is more than 5 minutes ahead of the clock (now " + NOW + ")");
    });
    assertThat(Fixtures.allTime(tracker)).isEqualTo(2);

    IngestSummary stillEarly = ingest(file);
    assertThat(stillEarly.lines()).isZero();
    assertThat(stillEarly.futureLines()).isEqualTo(2);
    assertThat(Fixtures.allTime(tracker)).isEqualTo(2);

    now.set(NOW.plus(Duration.ofMinutes(6)));
    IngestSummary later = ingest(file);
    assertThat(later.lines()).isEqualTo(2);
    assertThat(later.eventsRecorded()).isEqualTo(2);
    assertThat(later.futureLines()).isZero();
    assertThat(Fixtures.allTime(tracker)).isEqualTo(2 + 3 + 4);

    assertThat(ingest(file).lines()).as("the file is done").isZero();
  }

  @Test
  void withTheClockTenMinutesBehindNoLineIsLost() {
    Path file = dir.resolve("s.jsonl");
    write(file, IntStream.range(0, 226).mapToObj(i -> at(Duration.ofMinutes(10), "m" + i, 1)).toArray(String[]::new));

    IngestSummary behind = ingest(file);
    assertThat(behind.eventsRecorded()).isZero();
    assertThat(behind.malformedLines()).isZero();
    assertThat(behind.futureLines()).isEqualTo(226);

    now.set(NOW.plus(Duration.ofMinutes(10)));
    IngestSummary corrected = ingest(file);
    assertThat(corrected.eventsRecorded()).isEqualTo(226);
    assertThat(corrected.futureLines()).isZero();
    assertThat(Fixtures.allTime(tracker)).isEqualTo(226 * 2);
  }

  @Test
  void followReadsAWaitingLineAgainAtEachPollAndCountsItOnceTheClockPassesIt() throws Exception {
    Path file = dir.resolve("logs/s.jsonl");
    write(file, at(Duration.ofMinutes(-1), "m1", 1), at(Duration.ofMinutes(10), "m2", 2));
    Ingestor ingestor = Ingestor.builder(tracker).clock(clock).stateDirectory(dir.resolve("state"))
        .pollInterval(Duration.ofMillis(20)).build();
    java.util.concurrent.CompletableFuture<IngestSummary> running = java.util.concurrent.CompletableFuture
        .supplyAsync(() -> ingestor.follow(List.of(dir.resolve("logs").toString())));
    Thread.sleep(300); // many polls, each reading the waiting line again
    assertThat(Fixtures.allTime(tracker)).isEqualTo(2);
    ingestor.stop();
    IngestSummary waiting = running.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(waiting.futureLines()).as("the latest pass, not the sum of all polls").isEqualTo(1);
    assertThat(waiting.firstFuture()).hasSize(1);

    now.set(NOW.plus(Duration.ofMinutes(5)));
    Ingestor again = Ingestor.builder(tracker).clock(clock).stateDirectory(dir.resolve("state"))
        .pollInterval(Duration.ofMillis(20)).build();
    running = java.util.concurrent.CompletableFuture.supplyAsync(() -> again.follow(List.of(dir.resolve("logs").toString())));
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (Fixtures.allTime(tracker) != 2 + 3 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    again.stop();
    IngestSummary counted = running.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(Fixtures.allTime(tracker)).isEqualTo(2 + 3);
    assertThat(counted.futureLines()).isZero();
  }

  @Test
  void standardInputCannotKeepALineSoItIsReportedAsNotCounted() {
    String input = at(Duration.ofMinutes(10), "m1", 1) + "\n" + at(Duration.ZERO, "m2", 2) + "\n";
    IngestSummary s = Ingestor.builder(tracker).clock(clock)
        .stdin(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))).build().ingest(List.of("-"));
    assertThat(s.eventsRecorded()).isEqualTo(1);
    assertThat(s.futureLines()).isZero();
    assertThat(s.malformedLines()).isEqualTo(1);
    assertThat(s.firstMalformed().get(0).reason()).contains("ahead of the clock")
        .contains("standard input is not read again");
  }
}
