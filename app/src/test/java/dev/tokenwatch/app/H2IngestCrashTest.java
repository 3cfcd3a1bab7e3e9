package dev.tokenwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokenwatch ingest} into an H2 store, killed with SIGKILL at random points, several times,
 * then run to the end: the totals are exactly those computed from the input here (the oracle), so
 * no event whose offset was saved was lost, and none counted twice. (H2 writes commits to its file
 * in the background; before each write forced them, events acknowledged and covered by saved
 * offsets were lost.)
 */
class H2IngestCrashTest {

  private static final int EVENTS = 40_000;
  private static final int KILLS = 6;

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void everyEventCountsOnceAfterKillsAtRandomPoints() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Path logs = Files.createDirectories(dir.resolve("logs"));
    long expectedTokens = 0;
    try (BufferedWriter w = Files.newBufferedWriter(logs.resolve("api.jsonl"), StandardCharsets.UTF_8)) {
      for (int i = 0; i < EVENTS; i++) {
        int input = 1 + i % 97;
        int output = i % 13;
        expectedTokens += input + output;
        w.write("{\"id\":\"msg_" + i + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4\","
            + "\"content\":[],\"usage\":{\"input_tokens\":" + input + ",\"output_tokens\":" + output + "}}\n");
      }
    }
    String url = "jdbc:h2:file:" + dir.resolve("db/usage");
    Path config = Files.writeString(dir.resolve("config.yaml"), """
        budget:
          name: crash
          limit: 1000000000000
        store:
          type: jdbc
          url: %s
        """.formatted(url));

    int killedWhileIngesting = 0;
    for (int round = 0; round < KILLS; round++) {
      CliProcess child = CliProcess.start(dir, config, "ingest", "--quiet", logs.toString());
      Thread.sleep(600 + random.nextInt(2_400));
      if (child.process().isAlive()) {
        killedWhileIngesting++;
      }
      child.process().toHandle().destroyForcibly();
      assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    CliProcess.Result last = CliProcess.run(dir, config, "ingest", logs.toString());
    assertThat(last.exitCode()).as("final ingest (seed %d): %s", seed, last.err()).isZero();

    try (JdbcUsageStore store = JdbcUsageStore.builder().url(url).build()) {
      Counts all = store.query(UsageQuery.all()).total();
      long used = all.totalTokens();
      long calls = all.calls();
      assertThat(calls).as("events stored (seed %d, %d kills while ingesting)", seed, killedWhileIngesting)
          .isEqualTo(EVENTS);
      assertThat(used).as("tokens stored (seed %d)", seed).isEqualTo(expectedTokens);
    }
    assertThat(killedWhileIngesting).as("kills that hit a running ingest (seed %d)", seed).isPositive();
  }
}
