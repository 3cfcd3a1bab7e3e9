package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.app.view.Format;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged distribution run as real processes: {@code java -jar target/tokenwatch.jar} and the
 * {@code ./tokenwatch} launcher at the repository root, against temporary directories.
 */
class DistributionIT {

  private static final Path JAR = Path.of(System.getProperty("tokenwatch.dist.jar", "target/tokenwatch.jar"));
  private static final Path LAUNCHER = Path.of(System.getProperty("tokenwatch.launcher", "../tokenwatch"));

  @TempDir
  Path dir;

  record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void writeConfig() throws IOException {
    Files.writeString(dir.resolve("tokenwatch.yaml"), """
        budget:
          name: it
          limit: 1000
        store:
          type: file
          path: usage
        notifiers:
          - type: console
        """);
  }

  private Run run(List<String> command) throws IOException, InterruptedException {
    return run(command, dir);
  }

  private Run run(List<String> command, Path workingDirectory) throws IOException, InterruptedException {
    return run(command, workingDirectory, Map.of());
  }

  private Run run(List<String> command, Path workingDirectory, Map<String, String> extra)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
    Map<String, String> env = builder.environment();
    env.put("XDG_STATE_HOME", dir.resolve("state").toString());
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("HOME", dir.toString()); // never the real ~/.claude/projects
    env.remove("CLAUDE_CONFIG_DIR");
    env.remove("TOKENWATCH_CONFIG");
    env.remove("TOKENWATCH_JAVA_OPTS");
    env.remove("LC_ALL");
    env.remove("LC_CTYPE");
    env.put("LANG", "C.UTF-8"); // block characters show, whatever the build machine's locale
    env.putAll(extra);
    builder.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished in time: " + command).isTrue();
    return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  private Run jar(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  @Test
  void tracksAcrossThresholdsInSeparateProcessesAndWritesTheAuditLog() throws Exception {
    Run first = jar("track", "--model", "gpt-4o", "--input", "400", "--output", "150", "--request-id", "a");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo("Tracked 550 tokens for gpt-4o: 550 of 1,000 tokens used (55.0%), 450 remaining\n");
    assertThat(first.err()).contains("token budget 'it' at 55.0%").hasLineCount(1);

    Run again = jar("track", "--model", "gpt-4o", "--input", "400", "--output", "150", "--request-id", "a");
    assertThat(again.err()).isEmpty();
    Run second = jar("track", "--model", "claude", "--input", "300", "--output", "0");
    assertThat(second.err()).contains("at 85.0%").hasLineCount(1);

    Run status = jar("status", "--json");
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).contains("\"used\":850").contains("\"firedThresholds\":[0.5,0.7,0.8]").hasLineCount(1);
    assertThat(jar("status").out()).contains("[█████████████████░░░] 85.0%");

    assertThat(jar("check", "--at-most", "0.9").exitCode()).isZero();
    assertThat(jar("check", "--at-most", "0.85").exitCode()).isEqualTo(1);

    List<String> audit = Files.readAllLines(dir.resolve("state/tokenwatch/audit.jsonl"));
    assertThat(audit).anySatisfy(line -> assertThat(line).startsWith("{\"time\":").contains("\"event\":\"track\"")
        .contains("\"model\":\"gpt-4o\""));
    assertThat(audit).anySatisfy(line -> assertThat(line).contains("\"event\":\"alert\"").contains("\"level\":\"WARN\""));
  }

  @Test
  void ingestsASessionLogThenStatusShowsItAndASecondIngestReadsNothing() throws Exception {
    Path session = dir.resolve("projects/p1/session.jsonl");
    Files.createDirectories(session.getParent());
    Files.writeString(session, assistantLine("m1", 400) + assistantLine("m1", 600) + "{\"type\":\"user\"}\n");
    Run ingest = jar("ingest", "projects");
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    assertThat(ingest.out()).isEmpty();
    // stderr is a file here, not a terminal: no progress bar, just the alert and the summary.
    assertThat(ingest.err()).doesNotContain("\r").contains("token budget 'it' at 60.0%")
        .contains("Ingest summary: 1 files, 1 with new lines; 3 lines").contains("tokens added     600");
    Run status = jar("status", "--json");
    assertThat(status.out()).contains("\"used\":600");

    Run again = jar("ingest", "projects");
    assertThat(again.err()).contains("Ingest summary: 1 files, 0 with new lines").doesNotContain("token budget");
    assertThat(jar("status", "--json").out()).contains("\"used\":600");
  }

  @Test
  void followStopsOnSigtermWithTheSummaryAndKeepsWhatItCounted() throws Exception {
    Path session = dir.resolve("live.jsonl");
    Files.writeString(session, assistantLine("f1", 100));
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString(), "ingest", "--follow", "live.jsonl").directory(dir.toFile());
    builder.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
    builder.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    builder.environment().remove("TOKENWATCH_CONFIG");
    Path err = dir.resolve("follow-err.txt");
    builder.redirectOutput(dir.resolve("follow-out.txt").toFile()).redirectError(err.toFile());
    Process process = builder.start();
    try {
      awaitFileContains(err, "Ctrl-C stops.", process);
      Files.writeString(session, assistantLine("f2", 600), java.nio.file.StandardOpenOption.APPEND);
      awaitFileContains(err, "token budget 'it' at 70.0%", process);
      process.destroy(); // SIGTERM: the shutdown hook stops the run like Ctrl-C does
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      process.destroyForcibly();
    }
    assertThat(Files.readString(err)).contains("Ingest summary: 1 files").contains("tokens added     700");
    assertThat(jar("status", "--json").out()).contains("\"used\":700");
  }

  private static void awaitFileContains(Path file, String text, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
      assertThat(process.isAlive()).as("still running; stderr: " + Files.readString(file)).isTrue();
      assertThat(System.nanoTime()).as("'" + text + "' in time; stderr: " + Files.readString(file)).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static String assistantLine(String messageId, long outputTokens) {
    return "{\"type\":\"assistant\",\"timestamp\":\"" + java.time.Instant.now()
        + "\",\"requestId\":\"r-" + messageId + "\",\"message\":{\"id\":\"" + messageId
        + "\",\"model\":\"claude-opus-4\",\"usage\":{\"input_tokens\":0,\"output_tokens\":" + outputTokens + "}}}\n";
  }

  @Test
  void aNewUserGetsExactDaysSessionsAndProjectsOfClaudeCodesLogsInOneCommand() throws Exception {
    ClaudeCodeTree tree = ClaudeCodeTree.write(dir.resolve("claude/projects"), 7);
    Path fresh = Files.createDirectories(dir.resolve("fresh")); // no tokenwatch.yaml: built-in defaults
    Map<String, String> claude = Map.of("CLAUDE_CONFIG_DIR", dir.resolve("claude").toString());
    String launcher = LAUNCHER.toAbsolutePath().toString();

    // ./tokenwatch report daily: the logs read first, then exact tokens and cost per day
    Run text = run(List.of(launcher, "report", "daily"), fresh, claude);
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.err()).contains("tokenwatch: ingested 360 new events");
    Map<String, String> totals = new java.util.TreeMap<>(); // day -> its TOTAL line
    String day = null;
    for (String line : text.out().lines().toList()) {
      if (line.matches("2026-11-\\d\\d .*")) {
        day = line.substring(0, 10);
      } else if (day != null && line.trim().startsWith("TOTAL")) {
        totals.put(day, line);
        day = null;
      }
    }
    assertThat(totals.keySet()).isEqualTo(tree.perDay().keySet());
    tree.perDay().forEach((d, tokens) -> assertThat(totals.get(d)).as(d).contains(" " + Format.tokens(tokens) + " ")
        .contains(dev.tokenwatch.domain.BudgetUnit.formatUsd(tree.costPerDay().get(d))));

    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    Run daily = run(List.of(launcher, "report", "daily", "--json"), fresh, claude);
    assertThat(daily.err()).isEmpty(); // nothing appended since
    java.util.Map<String, Long> perDay = new java.util.TreeMap<>();
    json.readTree(daily.out()).get("periods").forEach(p -> perDay.put(p.get("start").asText(),
        p.get("total").get("totalTokens").asLong()));
    assertThat(perDay).isEqualTo(tree.perDay());

    Run sessions = run(List.of(launcher, "report", "session", "--json"), fresh, claude);
    java.util.Map<String, Long> perSession = new java.util.TreeMap<>();
    json.readTree(sessions.out()).get("sessions").forEach(r -> perSession.put(r.get("session").asText(),
        r.get("totalTokens").asLong()));
    java.util.Map<String, Long> expectedSessions = new java.util.TreeMap<>();
    tree.sessions().forEach((s, a) -> expectedSessions.put(s, a.totalTokens));
    assertThat(perSession).isEqualTo(expectedSessions);

    Run projects = run(List.of(launcher, "report", "project", "--json"), fresh, claude);
    java.util.Map<String, Long> perProject = new java.util.TreeMap<>();
    json.readTree(projects.out()).get("projects").forEach(r -> perProject.put(r.get("project").asText(),
        r.get("totalTokens").asLong()));
    assertThat(perProject).isEqualTo(tree.perProject());
    Run projectText = run(List.of(launcher, "report", "project"), fresh, claude);
    assertThat(projectText.out()).contains("Project").contains("/home/ann/alpha").contains("-home-ann-gamma");
  }

  @Test
  void configErrorsAndStoreErrorsHaveTheirExitCodes() throws Exception {
    Files.writeString(dir.resolve("tokenwatch.yaml"), "budget:\n  limit: -5\n");
    Run config = jar("status");
    assertThat(config.exitCode()).isEqualTo(2);
    assertThat(config.err()).isEqualTo(
        "tokenwatch: tokenwatch.yaml line 2: budget.limit must be a positive whole number of tokens such as 1000000, "
            + "or US dollars such as 250 USD, got \"-5\"\n");

    Files.writeString(dir.resolve("blocked"), "a file where the store directory should be");
    Files.writeString(dir.resolve("tokenwatch.yaml"), "store:\n  type: file\n  path: blocked\n");
    Run store = jar("status");
    assertThat(store.exitCode()).as(store.err()).isEqualTo(3);
    assertThat(store.err()).startsWith("tokenwatch: ").contains("blocked");
  }

  @Test
  void launcherRunsTheDistribution() throws Exception {
    Run version = run(List.of(LAUNCHER.toAbsolutePath().toString(), "--version"));
    assertThat(version.exitCode()).as(version.err()).isZero();
    assertThat(version.out()).startsWith("tokenwatch ");
    assertThat(version.err()).isEmpty();

    Run demo = run(List.of(LAUNCHER.toAbsolutePath().toString(), "demo"));
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.out()).contains("Budget  demo (monthly, UTC)");
    assertThat(demo.err()).hasLineCount(4);
  }
}
