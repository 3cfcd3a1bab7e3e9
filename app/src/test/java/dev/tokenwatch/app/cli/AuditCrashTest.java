package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.persistence.file.FileUsageStore;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail against the store after kill -9: child JVMs run {@code tokenwatch ingest} (events
 * with request ids, in batches) and {@link TrackLoopMain} (events without one, alone and in batches)
 * on one store and one trail, each killed after a different delay; then a last {@code ingest} runs
 * to the end (it reconciles at open). The trail, replayed with the store's request-id rule, must
 * claim exactly the events the store holds: each stored event once, none that is not stored, and
 * every line's counts must agree with the replay.
 */
class AuditCrashTest {

  private static final int ROUNDS = 10;
  private static final int LINES_PER_ROUND = 2_000;
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"file", "h2"})
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void theTrailClaimsExactlyWhatTheStoreHoldsAfterKills(String kind) throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Path log = logs.resolve("api.jsonl");
    String url = "jdbc:h2:file:" + dir.resolve("db/usage");
    String store = kind.equals("h2") ? "type: jdbc\n  url: " + url : "type: file\n  path: " + dir.resolve("usage");
    Path config = Files.writeString(dir.resolve("config.yaml"), """
        budget:
          name: crash
          limit: 1000000000000
        store:
          %s
        notifiers: []
        """.formatted(store));
    String base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS).toString();

    // the store created by a process that ends normally: a kill during H2's first schema migration can
    // leave a database the next process refuses ("Migrations have failed validation"), not this test's subject
    CliProcess.Result created = CliProcess.run(dir, config, "status");
    assertThat(created.exitCode()).as("status on the new store: %s", created.err()).isZero();
    int lines = 0;
    Path state = dir.resolve("state/tokenwatch");
    List<String> killPoints = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      CliProcess child;
      if (round % 3 == 2) {
        child = CliProcess.start(TrackLoopMain.class, dir, config, base);
      } else {
        appendLines(log, lines, LINES_PER_ROUND);
        lines += LINES_PER_ROUND;
        child = CliProcess.start(dir, config, "ingest", "--quiet", logs.toString());
      }
      // a different point each round: after some of the child's records, while an operation is open
      // (in the store, or between the store and the trail), a few milliseconds into it or at once
      // in odd rounds once the store's files changed in it: most likely just after the store's commit
      Path storeFiles = kind.equals("h2") ? dir.resolve("db") : dir.resolve("usage");
      killPoints.add(killDuringAnOperation(child, state, round % 4 * 2_000L, round % 2 == 1 ? storeFiles : null,
          random.nextInt(4) * round % 9));
      assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.err()).as("stderr of round %d", round).doesNotContain("Could not");
    }
    CliProcess.Result last = CliProcess.run(dir, config, "ingest", "--quiet", logs.toString());
    assertThat(last.exitCode()).as("final ingest (seed %d): %s", seed, last.err()).isZero();
    assertThat(last.err()).as("stderr of the final ingest").doesNotContain("Could not");

    Replay trail = new Replay();
    for (int i = 4; i >= 1; i--) {
      trail.read(state.resolve("audit." + i + ".jsonl"));
    }
    trail.read(state.resolve("audit.jsonl"));
    List<TokenUsageEvent> stored;
    try (UsageStore opened = kind.equals("h2") ? JdbcUsageStore.builder().url(url).build()
        : new FileUsageStore(dir.resolve("usage"))) {
      stored = opened.history(UsageFilter.ANY, Integer.MAX_VALUE);
    }
    String context = "seed %d, kills %s, %d recovered lines, %d events recovered, %d torn lines".formatted(seed,
        killPoints, trail.recoveredLines, trail.recoveredEvents, trail.tornLines);
    System.out.println(kind + " store: " + context);
    assertThat(trail.problems).as(context).isEmpty();
    assertThat(sorted(trail.claims())).as(context).isEqualTo(sorted(stored));
    assertThat(stored.stream().filter(e -> e.requestId() != null)).as(context).hasSize(lines);
    assertThat(trail.recoveredLines).as("kills that left an operation open: " + context).isPositive();
    try (Stream<Path> pending = Files.list(state.resolve("audit.pending"))) {
      assertThat(pending).as("pending files left").isEmpty();
    }
  }

  /**
   * Waits until the child's trail has grown by {@code afterBytes} and its pending file then shows an
   * open operation; then, if {@code storeFiles} is given, until they change (the operation's commit);
   * else {@code extraMillis}. Kills the child and describes where.
   */
  private static String killDuringAnOperation(CliProcess child, Path state, long afterBytes, Path storeFiles,
      long extraMillis) throws Exception {
    Path trail = state.resolve("audit.jsonl");
    Path pending = state.resolve("audit.pending");
    String mine = child.process().pid() + "-";
    long start = Files.exists(trail) ? Files.size(trail) : 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    boolean open = false;
    String stamp = "";
    while (child.process().isAlive() && System.nanoTime() < deadline && !open) {
      stamp = storeFiles == null ? "" : stamp(storeFiles);
      long grown = Files.exists(trail) ? Files.size(trail) - start : 0;
      open = grown >= afterBytes && anyNonEmpty(pending, mine);
      if (!open) {
        Thread.sleep(1);
      }
    }
    boolean committed = false;
    if (open && storeFiles != null) {
      while (child.process().isAlive() && System.nanoTime() < deadline && !committed) {
        committed = !stamp(storeFiles).equals(stamp);
        Thread.onSpinWait();
      }
    } else if (open && extraMillis > 0) {
      Thread.sleep(extraMillis);
    }
    child.process().toHandle().destroyForcibly();
    return !open ? "no open operation seen" : "+" + afterBytes + "B/" + (storeFiles != null
        ? (committed ? "store written" : "store unchanged") : extraMillis + "ms");
  }

  /** The sizes and modification times of the files in {@code directory}. */
  private static String stamp(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return "";
    }
    StringBuilder stamp = new StringBuilder();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted().forEach(f -> {
        try {
          stamp.append(f).append(Files.size(f)).append(Files.getLastModifiedTime(f).toInstant()).append(';');
        } catch (IOException gone) {
          stamp.append(f).append("gone;");
        }
      });
    } catch (java.io.UncheckedIOException gone) {
      stamp.append("changing");
    }
    return stamp.toString();
  }

  private static boolean anyNonEmpty(Path directory, String prefix) throws IOException {
    if (!Files.isDirectory(directory)) {
      return false;
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.anyMatch(f -> {
        try {
          return f.getFileName().toString().startsWith(prefix) && Files.size(f) > 0;
        } catch (IOException gone) {
          return false;
        }
      });
    } catch (java.io.UncheckedIOException gone) {
      return false;
    }
  }

  private static void appendLines(Path log, int from, int count) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int n = from; n < from + count; n++) {
      text.append("{\"id\":\"msg_").append(n).append("\",\"type\":\"message\",\"role\":\"assistant\",")
          .append("\"model\":\"claude-sonnet-4\",\"content\":[],\"usage\":{\"input_tokens\":").append(1 + n % 97)
          .append(",\"output_tokens\":").append(n % 13).append("}}\n");
    }
    Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static List<String> sorted(List<TokenUsageEvent> events) {
    return events.stream().map(TokenUsageEvent::toString).sorted().toList();
  }

  /**
   * The trail read in order with the store's rule for request ids (an id counts once; a later record
   * is a duplicate here, as no test record is larger): what it claims, and where a line disagrees.
   */
  private static final class Replay {
    final Map<String, TokenUsageEvent> byId = new HashMap<>();
    final List<TokenUsageEvent> withoutId = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    int recoveredLines;
    int recoveredEvents;
    int tornLines;

    void read(Path file) throws IOException {
      if (!Files.exists(file)) {
        return;
      }
      int number = 0;
      for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        number++;
        JsonNode line;
        try {
          line = JSON.readTree(text);
        } catch (IOException cutShort) {
          tornLines++; // a kill in the middle of a long line's write: that record was never acknowledged
          continue;
        }
        String where = file.getFileName() + ":" + number;
        switch (line.get("event").asText()) {
          case "track" -> {
            String outcome = line.get("outcome").asText();
            int added = claim(List.of(event(line)));
            if (added != (outcome.equals("recorded") ? 1 : 0)) {
              problems.add(where + ": outcome " + outcome + " but the event " + (added == 1 ? "was new" : "was not"));
            }
          }
          case "batch" -> {
            int added = claim(events(line));
            if (added != line.get("recorded").asInt() || line.get("replaced").asInt() != 0) {
              problems.add(where + ": " + line.get("recorded") + " recorded, but " + added + " new events");
            }
          }
          case "recovered" -> {
            List<TokenUsageEvent> events = events(line);
            recoveredLines++;
            recoveredEvents += events.size();
            if (claim(events) != events.size()) {
              problems.add(where + ": recovered an event the trail had already");
            }
          }
          default -> { }
        }
      }
    }

    /** Claims what the store would count of {@code events}; how many that was. */
    private int claim(List<TokenUsageEvent> events) {
      int added = 0;
      for (TokenUsageEvent event : events) {
        if (event.requestId() == null) {
          withoutId.add(event);
          added++;
        } else if (byId.putIfAbsent(event.requestId(), event) == null) {
          added++;
        }
      }
      return added;
    }

    List<TokenUsageEvent> claims() {
      List<TokenUsageEvent> all = new ArrayList<>(withoutId);
      all.addAll(byId.values());
      return all;
    }

    private static List<TokenUsageEvent> events(JsonNode line) {
      List<TokenUsageEvent> events = new ArrayList<>();
      line.get("events").forEach(e -> events.add(event(e)));
      return events;
    }

    private static TokenUsageEvent event(JsonNode node) {
      TreeMap<String, String> tags = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.path("tags").fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> tag = it.next();
        tags.put(tag.getKey(), tag.getValue().asText());
      }
      return new TokenUsageEvent(node.get("model").asText(), node.get("inputTokens").asLong(),
          node.get("outputTokens").asLong(), node.get("cacheCreationTokens").asLong(),
          node.get("cacheReadTokens").asLong(), node.get("tokens").asLong(),
          Instant.parse(node.get("timestamp").asText()),
          node.hasNonNull("requestId") ? node.get("requestId").asText() : null,
          node.hasNonNull("project") ? node.get("project").asText() : null,
          node.hasNonNull("session") ? node.get("session").asText() : null, tags,
          node.has("costUsd") ? node.get("costUsd").decimalValue().movePointRight(9).longValueExact()
              : TokenUsageEvent.NO_COST);
    }
  }
}
