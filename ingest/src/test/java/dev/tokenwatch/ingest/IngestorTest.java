package dev.tokenwatch.ingest;

import static dev.tokenwatch.ingest.Fixtures.anthropicMessage;
import static dev.tokenwatch.ingest.Fixtures.append;
import static dev.tokenwatch.ingest.Fixtures.claudeAssistant;
import static dev.tokenwatch.ingest.Fixtures.claudeSummary;
import static dev.tokenwatch.ingest.Fixtures.claudeToolResult;
import static dev.tokenwatch.ingest.Fixtures.claudeUser;
import static dev.tokenwatch.ingest.Fixtures.openAiChat;
import static dev.tokenwatch.ingest.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestorTest {

  static final String TS = "2025-06-14T09:30:00Z";

  @TempDir Path dir;

  private Path tree() {
    Path tree = dir.resolve("tree");
    write(tree.resolve("projA/session1.jsonl"),
        claudeUser("please fix the build"),
        claudeAssistant("msg_1", "req_1", "claude-opus-4", 4, 10, 100, 1000, TS, "Let me look"),   // incomplete
        claudeAssistant("msg_1", "req_1", "claude-opus-4", 4, 250, 100, 1000, TS, "Let me look"),  // complete
        claudeAssistant("msg_1", "req_1", "claude-opus-4", 4, 250, 100, 1000, TS, "tool call"),    // same again
        claudeToolResult("BUILD SUCCESS"),
        claudeSummary(),
        "{\"type\":\"assistant\",\"message\":{\"id\":\"x\",\"model\":\"<synthetic>\","
            + "\"usage\":{\"input_tokens\":0,\"output_tokens\":0}},\"timestamp\":\"" + TS + "\"}",
        claudeAssistant("msg_2", "req_2", "claude-sonnet-4", 3, 50, 0, 2000, TS, "Done"));
    write(tree.resolve("projA/notes.txt"), "not a log: ignored by the directory walk");
    write(tree.resolve("api/openai.json"), openAiChat("chatcmpl-1", 1200, 300, 1000, 1749902400));
    write(tree.resolve("api/anthropic.jsonl"),
        anthropicMessage("msg_a1", 10, 40, 200, 3000),
        "{not json",
        "{\"id\":\"msg_a2\",\"type\":\"message\",\"model\":\"claude-3-5-haiku-20241022\","
            + "\"usage\":{\"input_tokens\":-1,\"output_tokens\":3}}");
    write(tree.resolve("export/tokenwatch.jsonl"), TokenUsageEventJson.toJson(
        new TokenUsageEvent("gpt-4o", 7, 3, 0, 0, 10, Instant.parse("2025-06-10T00:00:00Z"), "tw-1")));
    return tree;
  }

  static final long TREE_TOTAL = 1354 + 2053 + 1500 + 3250 + 10;

  private Ingestor.Builder ingestor(TokenTracker tracker) {
    return Ingestor.builder(tracker).clock(Fixtures.CLOCK).stateDirectory(dir.resolve("state"));
  }


  @Test
  void ingestsADirectoryTreeOfEveryFormatCountingEachKeyOnce() {
    TokenTracker tracker = Fixtures.tracker();
    IngestSummary s = ingestor(tracker).build().ingest(List.of(tree().toString()));

    assertThat(Fixtures.allTime(tracker)).isEqualTo(TREE_TOTAL);
    assertThat(s.tokensAdded()).isEqualTo(TREE_TOTAL);
    assertThat(s.filesScanned()).isEqualTo(4);
    assertThat(s.filesRead()).isEqualTo(4);
    assertThat(s.lines()).isEqualTo(8 + 1 + 3 + 1);
    assertThat(s.eventsRecorded()).isEqualTo(5);
    assertThat(s.eventsReplaced()).isEqualTo(1);
    assertThat(s.duplicates()).isEqualTo(1);
    assertThat(s.nonUsageLines()).isEqualTo(4);
    assertThat(s.chargedAtIngestTime()).isEqualTo(1);
    assertThat(s.malformedLines()).isEqualTo(2);
    String anthropic = tree().resolve("api/anthropic.jsonl").toAbsolutePath().toString();
    assertThat(s.firstMalformed()).extracting(MalformedLine::source, MalformedLine::line)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(anthropic, 2L),
            org.assertj.core.groups.Tuple.tuple(anthropic, 3L));
    assertThat(s.firstMalformed().get(1).reason()).isEqualTo("usage.input_tokens must not be negative, got -1");
    assertThat(s.bytes()).isPositive();
    var june = tracker.getModelUsage().rows();
    assertThat(june).filteredOn(m -> m.key(0).equals("claude-opus-4")).singleElement()
        .satisfies(m -> assertThat(m.counts()).isEqualTo(new dev.tokenwatch.domain.ledger.Counts(4, 250, 100, 1000,
            // priced when recorded (claude-opus-4-0: 15, 75, 18.75 for 5-minute writes, 1.5 USD per M):
            // 4 x 15 + 250 x 75 + 100 x 18.75 + 1000 x 1.5 = 22,185 micro-dollars
            1354, 1, 22_185_000, 0, 0)));
  }

  @Test
  void reIngestOfAnUnchangedTreeIsANoOpWithAndWithoutState() {
    TokenTracker tracker = Fixtures.tracker();
    Path tree = tree();
    ingestor(tracker).build().ingest(List.of(tree.toString()));

    IngestSummary again = ingestor(tracker).build().ingest(List.of(tree.toString()));
    assertThat(again.filesScanned()).isEqualTo(4);
    assertThat(again.filesRead()).isZero();
    assertThat(again.lines()).isZero();
    assertThat(again.tokensAdded()).isZero();

    IngestSummary stateless = Ingestor.builder(tracker).clock(Fixtures.CLOCK).build().ingest(List.of(tree.toString()));
    assertThat(stateless.lines()).isEqualTo(13);
    assertThat(stateless.eventsIngested()).isZero();
    assertThat(stateless.duplicates()).isEqualTo(7);
    assertThat(stateless.tokensAdded()).isZero();
    assertThat(Fixtures.allTime(tracker)).isEqualTo(TREE_TOTAL);
  }

  @Test
  void aSecondRunReadsOnlyAppendedLines() {
    TokenTracker tracker = Fixtures.tracker();
    Path file = dir.resolve("s.jsonl");
    write(file, claudeAssistant("m1", "r1", "c", 1, 1, 0, 0, TS, "a"));
    ingestor(tracker).build().ingest(List.of(file.toString()));

    String appended = claudeUser("more") + "\n" + claudeAssistant("m2", "r2", "c", 5, 5, 0, 0, TS, "b") + "\n"
        + "{broken\n";
    append(file, appended);
    IngestSummary s = ingestor(tracker).build().ingest(List.of(file.toString()));
    assertThat(s.lines()).isEqualTo(3);
    assertThat(s.bytes()).isEqualTo(appended.getBytes(StandardCharsets.UTF_8).length);
    assertThat(s.eventsRecorded()).isEqualTo(1);
    assertThat(s.firstMalformed()).singleElement().extracting(MalformedLine::line).isEqualTo(4L);
    assertThat(Fixtures.allTime(tracker)).isEqualTo(12);
  }

  @Test
  void aHalfWrittenLastLineIsLeftForTheNextRun() {
    TokenTracker tracker = Fixtures.tracker();
    Path file = dir.resolve("s.jsonl");
    String second = claudeAssistant("m2", "r2", "c", 5, 5, 0, 0, TS, "b");
    write(file, claudeAssistant("m1", "r1", "c", 1, 1, 0, 0, TS, "a"));
    append(file, second.substring(0, 100));
    IngestSummary first = ingestor(tracker).build().ingest(List.of(file.toString()));
    assertThat(first.lines()).isEqualTo(1);
    assertThat(first.malformedLines()).isZero();

    append(file, second.substring(100) + "\n");
    IngestSummary rest = ingestor(tracker).build().ingest(List.of(file.toString()));
    assertThat(rest.lines()).isEqualTo(1);
    assertThat(rest.eventsRecorded()).isEqualTo(1);
    assertThat(Fixtures.allTime(tracker)).isEqualTo(12);
  }

  @Test
  void aCompleteLastLineWithoutLineBreakIsIngested() throws Exception {
    TokenTracker tracker = Fixtures.tracker();
    Path file = dir.resolve("response.json");
    Files.writeString(file, openAiChat("chatcmpl-9", 10, 5, 0, 1749902400)); // no trailing line break
    IngestSummary s = ingestor(tracker).build().ingest(List.of(file.toString()));
    assertThat(s.eventsRecorded()).isEqualTo(1);
    assertThat(ingestor(tracker).build().ingest(List.of(file.toString())).lines()).isZero();
  }

  @Test
  void aShrunkOrReplacedFileIsReadFromTheStart() throws Exception {
    TokenTracker tracker = Fixtures.tracker();
    Path file = dir.resolve("s.jsonl");
    write(file, claudeAssistant("m1", "r1", "c", 1, 1, 0, 0, TS, "a"), claudeAssistant("m2", "r2", "c", 2, 2, 0, 0, TS, "b"));
    ingestor(tracker).build().ingest(List.of(file.toString()));

    // truncated in place and rewritten shorter
    write(file, claudeAssistant("m3", "r3", "c", 3, 3, 0, 0, TS, "c"));
    IngestSummary shrunk = ingestor(tracker).build().ingest(List.of(file.toString()));
    assertThat(shrunk.lines()).isEqualTo(1);
    assertThat(Fixtures.allTime(tracker)).isEqualTo(2 + 4 + 6);

    // rewritten in place, same identity, longer, different start: the head fingerprint notices
    write(file, claudeAssistant("m4", "r4", "c", 4, 4, 0, 0, TS, "different start of the file"),
        claudeAssistant("m3", "r3", "c", 3, 3, 0, 0, TS, "c"));
    IngestSummary rewritten = ingestor(tracker).build().ingest(List.of(file.toString()));
    assertThat(rewritten.lines()).isEqualTo(2);
    assertThat(rewritten.duplicates()).isEqualTo(1);
    assertThat(Fixtures.allTime(tracker)).isEqualTo(2 + 4 + 6 + 8);

    // replaced by a new file (rotation): another identity
    Path tmp = dir.resolve("new.tmp");
    write(tmp, claudeAssistant("m5", "r5", "c", 5, 5, 0, 0, TS, "e"), claudeAssistant("m4", "r4", "c", 4, 4, 0, 0, TS, "x"),
        claudeAssistant("m3", "r3", "c", 3, 3, 0, 0, TS, "c"));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    IngestSummary replaced = ingestor(tracker).build().ingest(List.of(file.toString()));
    assertThat(replaced.lines()).isEqualTo(3);
    assertThat(replaced.eventsRecorded()).isEqualTo(1);
    assertThat(Fixtures.allTime(tracker)).isEqualTo(2 + 4 + 6 + 8 + 10);
  }

  @Test
  void strictModeStopsAtTheFirstMalformedLineAfterApplyingTheLinesBefore() {
    TokenTracker tracker = Fixtures.tracker();
    Path file = dir.resolve("s.jsonl");
    write(file, claudeAssistant("m1", "r1", "c", 1, 1, 0, 0, TS, "a"), "{\"oops\":",
        claudeAssistant("m2", "r2", "c", 2, 2, 0, 0, TS, "b"));
    String name = file.toAbsolutePath().toString();
    for (int run = 0; run < 2; run++) {
      assertThatThrownBy(() -> ingestor(tracker).strict(true).build().ingest(List.of(file.toString())))
          .isInstanceOfSatisfying(MalformedLineException.class, e -> {
            assertThat(e.malformedLine().source()).isEqualTo(name);
            assertThat(e.malformedLine().line()).isEqualTo(2);
            assertThat(e.getMessage()).startsWith(name + ":2: invalid JSON");
          });
      assertThat(Fixtures.allTime(tracker)).isEqualTo(2);
    }
    IngestSummary lenient = ingestor(tracker).build().ingest(List.of(file.toString()));
    assertThat(lenient.lines()).isEqualTo(2);
    assertThat(lenient.malformedLines()).isEqualTo(1);
    assertThat(Fixtures.allTime(tracker)).isEqualTo(6);
  }

  @Test
  void readsStandardInputIncludingALastLineWithoutLineBreak() {
    TokenTracker tracker = Fixtures.tracker();
    String input = openAiChat("chatcmpl-1", 100, 20, 0, 1749902400) + "\n\n" + anthropicMessage("msg_1", 1, 2, 3, 4)
        + "\n" + claudeAssistant("m", "r", "c", 1, 1, 1, 1, TS, "z");
    IngestSummary s = ingestor(tracker).stdin(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)))
        .build().ingest(List.of("-"));
    assertThat(s.filesScanned()).isEqualTo(1);
    assertThat(s.lines()).isEqualTo(4);
    assertThat(s.eventsRecorded()).isEqualTo(3);
    assertThat(s.nonUsageLines()).isEqualTo(1);
    assertThat(Fixtures.allTime(tracker)).isEqualTo(120 + 10 + 4);
  }

  @Test
  void alertsFireAsThresholdsAreCrossedDuringIngest() {
    List<Alert> alerts = new CopyOnWriteArrayList<>();
    TokenTracker tracker = Fixtures.tracker(4000, alerts);
    Path file = dir.resolve("s.jsonl");
    write(file, IntStream.range(0, 4)
        .mapToObj(i -> claudeAssistant("m" + i, "r" + i, "c", 500, 500, 0, 0, "2025-06-15T10:00:00Z", "x"))
        .toArray(String[]::new));
    IngestSummary s = ingestor(tracker).batchSize(1).build().ingest(List.of(file.toString()));
    assertThat(alerts).extracting(Alert::threshold).containsExactly(0.5, 0.7, 1.0);
    assertThat(s.alerts()).isEqualTo(alerts);
    assertThat(s.usage().used()).isEqualTo(4000);
  }

  @Test
  void reportsTheFirstTenMalformedLinesAndCountsTheRest() {
    Path file = dir.resolve("bad.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      lines.add("{\"id\":\"c" + i + "\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\"}");
    }
    write(file, lines.toArray(String[]::new));
    IngestSummary s = ingestor(Fixtures.tracker()).build().ingest(List.of(file.toString()));
    assertThat(s.malformedLines()).isEqualTo(15);
    assertThat(s.firstMalformed()).hasSize(10).extracting(MalformedLine::line)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(s.firstMalformed().get(0).reason()).isEqualTo("usage is missing");
  }

  @Test
  void aLineLongerThanTheLimitIsMalformedAndTheNextLineIsRead() {
    TokenTracker tracker = Fixtures.tracker();
    Path file = dir.resolve("s.jsonl");
    write(file, claudeAssistant("m1", "r1", "c", 1, 1, 0, 0, TS, "x".repeat(10_000)),
        claudeAssistant("m2", "r2", "c", 2, 2, 0, 0, TS, "short"));
    IngestSummary s = ingestor(tracker).maxLineBytes(4096).build().ingest(List.of(file.toString()));
    assertThat(s.lines()).isEqualTo(2);
    assertThat(s.malformedLines()).isEqualTo(1);
    assertThat(s.firstMalformed().get(0).reason()).isEqualTo("line is longer than 4096 bytes");
    assertThat(Fixtures.allTime(tracker)).isEqualTo(4);
  }

  @Test
  void progressReachesTheTotalAndTheListenerHearsTheSummary() {
    List<long[]> calls = new CopyOnWriteArrayList<>();
    List<IngestSummary> finished = new CopyOnWriteArrayList<>();
    IngestProgressListener listener = new IngestProgressListener() {
      @Override
      public void progress(long bytesDone, long bytesTotal) {
        calls.add(new long[] {bytesDone, bytesTotal});
      }

      @Override
      public void finished(IngestSummary summary) {
        finished.add(summary);
      }
    };
    IngestSummary s = ingestor(Fixtures.tracker()).progressListener(listener).build().ingest(List.of(tree().toString()));
    assertThat(calls).isNotEmpty();
    long[] last = calls.get(calls.size() - 1);
    assertThat(last[0]).isEqualTo(last[1]).isEqualTo(s.bytes());
    assertThat(finished).containsExactly(s);
  }

  @Test
  void aMissingInputIsAClearError() {
    assertThatThrownBy(() -> ingestor(Fixtures.tracker()).build().ingest(List.of(dir.resolve("nope").toString())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such file or directory")
        .hasMessageContaining("nope");
  }
}
