package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokenwatch ingest --follow} into an H2 store, killed with SIGKILL again and again: in even
 * rounds the moment it has saved its offsets (the case: H2 had not yet written the commits
 * those offsets cover, so they were lost and the next run skipped their lines), in odd rounds at a
 * random point. Each round appends new lines first. Then a plain {@code ingest} runs to the end, and
 * the stored totals must be exactly those computed from the input here (the oracle): nothing lost,
 * nothing counted twice.
 */
class H2IngestCrashTest {

  private static final int ROUNDS = 8;
  private static final int LINES_PER_ROUND = 3_000;

  @TempDir
  Path dir;

  /** Found at the first save; replaced atomically by each later one. */
  private Path offsetsFile;

  @Test
  @Timeout(value = 400, unit = TimeUnit.SECONDS)
  void everyEventCountsOnceAfterKills() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Path log = logs.resolve("api.jsonl");
    String url = "jdbc:h2:file:" + dir.resolve("db/usage");
    Path config = Files.writeString(dir.resolve("config.yaml"), """
        budget:
          name: crash
          limit: 1000000000000
        store:
          type: jdbc
          url: %s
        """.formatted(url));

    long expectedTokens = 0;
    int lines = 0;
    int killedAfterSave = 0;
    for (int round = 0; round < ROUNDS; round++) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < LINES_PER_ROUND; i++, lines++) {
        int input = 1 + lines % 97;
        int output = lines % 13;
        expectedTokens += input + output;
        text.append("{\"id\":\"msg_").append(lines).append("\",\"type\":\"message\",\"role\":\"assistant\",")
            .append("\"model\":\"claude-sonnet-4\",\"content\":[],\"usage\":{\"input_tokens\":").append(input)
            .append(",\"output_tokens\":").append(output).append("}}\n");
      }
      Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      String offsetsBefore = offsets().orElse("");
      CliProcess child = CliProcess.start(dir, config, "ingest", "--follow", "--quiet", logs.toString());
      try {
        if (round % 2 == 0) {
          long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
          while (offsets().orElse("").equals(offsetsBefore) && child.process().isAlive()
              && System.nanoTime() < deadline) {
            Thread.sleep(1);
          }
          if (!offsets().orElse("").equals(offsetsBefore)) {
            killedAfterSave++;
          }
        } else {
          Thread.sleep(300 + random.nextInt(2_500));
        }
      } finally {
        child.process().toHandle().destroyForcibly();
      }
      assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    CliProcess.Result last = CliProcess.run(dir, config, "ingest", logs.toString());
    assertThat(last.exitCode()).as("final ingest (seed %d): %s", seed, last.err()).isZero();

    try (JdbcUsageStore store = JdbcUsageStore.builder().url(url).build()) {
      Counts all = store.query(UsageQuery.all()).total();
      long used = all.totalTokens();
      long calls = all.calls();
      assertThat(calls).as("events stored (seed %d, %d kills right after an offsets save)", seed, killedAfterSave)
          .isEqualTo(lines);
      assertThat(used).as("tokens stored (seed %d)", seed).isEqualTo(expectedTokens);
    }
    assertThat(killedAfterSave).as("kills right after an offsets save (seed %d)", seed).isPositive();
  }

  /** The ingest offsets document, wherever the state directory puts it; empty before the first save. */
  private Optional<String> offsets() throws IOException {
    Path state = dir.resolve("state");
    if (!Files.isDirectory(state)) {
      return Optional.empty();
    }
    if (offsetsFile == null) {
      try (Stream<Path> files = Files.walk(state)) {
        offsetsFile = files.filter(p -> p.getFileName().toString().equals("ingest-offsets.json")).findFirst()
            .orElse(null);
      } catch (java.io.UncheckedIOException fileGoneDuringTheWalk) {
        return Optional.empty(); // a temporary file renamed meanwhile: look again at the next poll
      }
      if (offsetsFile == null) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(Files.readString(offsetsFile));
    } catch (java.nio.file.NoSuchFileException notYet) {
      return Optional.empty();
    }
  }
}
