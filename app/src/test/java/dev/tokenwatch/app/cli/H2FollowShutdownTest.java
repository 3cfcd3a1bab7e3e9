package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest --follow} on an H2 store, as a user runs it: a second command meanwhile is told
 * plainly that the database is in use (no H2 stack trace), and stopping the run (SIGTERM, which
 * runs the same shutdown as Ctrl-C) prints the summary: the store is closed after the run, not
 * under it by H2's own shutdown hook ("Database is already closed").
 */
class H2FollowShutdownTest {

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void stoppingAFollowRunPrintsItsSummaryAndASecondCommandIsToldWhy() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Files.writeString(logs.resolve("api.jsonl"), IngestCliTest.ANTHROPIC);
    Path config = Files.writeString(dir.resolve("config.yaml"), """
        budget:
          name: follow
          limit: 100000
        store:
          type: jdbc
          url: jdbc:h2:file:%s
        """.formatted(dir.resolve("db/usage")));
    CliProcess follow = CliProcess.start(dir, config, "ingest", "--follow", logs.toString());
    try {
      stopAndCheck(follow, config);
    } finally {
      follow.process().destroyForcibly(); // a failed assertion must not leave the run behind
    }
  }

  private void stopAndCheck(CliProcess follow, Path config) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!follow.err().contains("Ctrl-C stops")) {
      assertThat(System.nanoTime()).as("follow started; stderr: %s", follow.err()).isLessThan(deadline);
      assertThat(follow.process().isAlive()).as("follow runs; stderr: %s", follow.err()).isTrue();
      Thread.sleep(100);
    }
    Thread.sleep(1_000); // the first pass over the existing lines

    CliProcess.Result status = CliProcess.run(dir, config, "status");
    assertThat(status.exitCode()).as(status.both()).isEqualTo(ExitCodes.STORE);
    assertThat(status.err()).contains("is in use by another process")
        .contains("use the file store or PostgreSQL for several processes")
        .doesNotContain("org.h2", "\tat ", "SQL statement");

    follow.process().destroy(); // SIGTERM
    CliProcess.Result stopped = follow.await(60);
    assertThat(stopped.err()).contains("Ingest summary").contains("events ingested  2")
        .doesNotContain("already closed", "org.h2", "\tat ");
  }
}
