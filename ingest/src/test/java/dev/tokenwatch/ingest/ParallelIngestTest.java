package dev.tokenwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.TokenTracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files read in parallel are applied in file order: the outcome (events, which repeat replaced
 * which, the alerts and when they fired) is that of reading the files one by one, run after run.
 */
class ParallelIngestTest {

  @TempDir Path dir;

  /**
   * Many small files and a few large ones (so that readers finish out of order), where the same
   * Claude Code message appears in several files with growing output, as sub-agent logs repeat it.
   */
  private List<String> writeTree() {
    List<String> names = new ArrayList<>();
    for (int f = 0; f < 40; f++) {
      int lines = f % 7 == 0 ? 1_000 : 5;
      List<String> content = new ArrayList<>();
      for (int i = 0; i < lines; i++) {
        if (i % 2 == 0) {
          content.add(Fixtures.claudeUser("turn " + i + " of file " + f));
        } else {
          String id = "msg_" + (i % 50) + "_" + (f % 5); // shared by files f, f+5, f+10, ...
          content.add(Fixtures.claudeAssistant(id, "req_" + id, "claude-sonnet-4-20250514", 10, 5 + f, 100, 1000,
              "2025-06-14T09:" + String.format("%02d", f % 60) + ":00Z", "text"));
        }
      }
      Path file = dir.resolve("projects").resolve("-home-dev-p" + (f % 3)).resolve(String.format("s-%02d.jsonl", f));
      Fixtures.write(file, content.toArray(String[]::new));
      names.add(file.toString());
    }
    return names;
  }

  private record Outcome(long recorded, long replaced, long duplicates, List<?> history, List<Alert> alerts,
      long lines, long nonUsage) {}

  private Outcome ingest(int parallelism, int batchSize) {
    List<Alert> alerts = new CopyOnWriteArrayList<>();
    TokenTracker tracker = Fixtures.tracker(200_000L, alerts); // thresholds crossed part-way through
    IngestSummary summary = Ingestor.builder(tracker).clock(Fixtures.CLOCK).parallelism(parallelism)
        .batchSize(batchSize).build().ingest(List.of(dir.resolve("projects").toString()));
    return new Outcome(summary.eventsRecorded(), summary.eventsReplaced(), summary.duplicates(),
        tracker.getHistory(), List.copyOf(alerts), summary.lines(), summary.nonUsageLines());
  }

  @Test
  void theOutcomeOfParallelReadersIsThatOfOneReaderRunAfterRun() {
    writeTree();
    Outcome serial = ingest(1, 100);
    assertThat(serial.replaced()).as("repeats with more output replace earlier ones").isPositive();
    assertThat(serial.duplicates()).isPositive();
    assertThat(serial.alerts()).as("the budget's thresholds are crossed").isNotEmpty();
    for (int run = 0; run < 3; run++) {
      assertThat(ingest(4, 100)).as("run %d", run).isEqualTo(serial);
    }
  }
}
