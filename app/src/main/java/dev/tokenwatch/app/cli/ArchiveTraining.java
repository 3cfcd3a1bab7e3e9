package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.Main;
import dev.tokenwatch.app.env.AppEnvironment;
import dev.tokenwatch.domain.port.Clock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The training run of the start-up archives (the Java 25 AOT cache, the Java 17 AppCDS archive; see
 * the {@code tokenwatch} launcher): in one JVM, as one cache records one process, the commands users
 * run most, each as {@link Main} runs it, against a generated Claude Code tree of a few thousand lines
 * in a temporary directory: the first {@code report daily --json} (which ingests the tree), the same
 * again, {@code status}, {@code report monthly}, {@code track}, then a configuration file with a small
 * budget (YAML, an alert on the console) for {@code track}, {@code ingest} and {@code check}. The
 * archive then holds the classes, linked, and the method profiles of what those runs executed.
 * Fails (exit 1) when a command does: an archive of a failing run would be trained on the wrong paths.
 */
final class ArchiveTraining {

  private static final String[] MODELS = {"claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805",
      "claude-3-5-haiku-20241022"};
  private static final String[] WORDS = {"budget", "token", "parser", "stream", "cache", "the", "file", "day",
      "model", "usage", "return", "value", "json", "error", "offset", "a", "line", "period", "write"};

  private ArchiveTraining() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("tokenwatch-training");
    try {
      writeTree(dir.resolve("claude/projects"), 6, 800, Instant.now());
      Files.writeString(dir.resolve("training.yaml"), """
          budget:
            name: training
            limit: 1000
          store:
            type: file
            path: small-store
          notifiers:
            - type: console
          """);
      String config = dir.resolve("training.yaml").toString();
      List<List<String>> runs = List.of(
          List.of("report", "daily", "--json"),
          List.of("report", "daily", "--json"),
          List.of("status"),
          List.of("status", "--json"),
          List.of("report", "monthly"),
          List.of("report", "session"),
          List.of("track", "--model", "claude-sonnet-4-5", "--input", "10", "--output", "5"),
          List.of("--config", config, "track", "--model", "claude-sonnet-4-5", "--input", "600", "--output", "300"),
          List.of("--config", config, "ingest", "--quiet", dir.resolve("claude/projects").toString()),
          List.of("--config", config, "check", "--at-most", "10"));
      for (List<String> run : runs) {
        int exitCode = run(dir, run);
        if (exitCode != ExitCodes.OK) {
          System.err.println("tokenwatch training: " + String.join(" ", run) + " exited with " + exitCode);
          System.exit(1);
        }
      }
    } finally {
      deleteRecursively(dir);
    }
  }

  private static int run(Path dir, List<String> args) {
    Map<String, String> variables = Map.of("HOME", dir.toString(), "XDG_STATE_HOME", dir.resolve("state").toString(),
        "XDG_CONFIG_HOME", dir.resolve("config").toString(), "CLAUDE_CONFIG_DIR", dir.resolve("claude").toString());
    AppEnvironment env = new AppEnvironment(variables, dir, dir, Clock.system(),
        new ByteArrayInputStream(new byte[0]), false, false, false);
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    return Cli.run(args.toArray(String[]::new), new CliContext(env, discard, discard, false));
  }

  /**
   * {@code files} sessions of {@code lines} lines each, shaped as Claude Code writes them: user turns
   * and tool results with escaped text (most of the bytes), assistant lines with usage, the lines of
   * one message repeating its usage as it grows, all in the 20 days before {@code now}.
   */
  static void writeTree(Path projects, int files, int lines, Instant now) throws IOException {
    Random random = new Random(19);
    Instant start = now.minus(Duration.ofDays(20));
    for (int f = 0; f < files; f++) {
      StringBuilder log = new StringBuilder();
      String session = "0000000" + f + "-training";
      Instant at = start.plusSeconds(f * 3_600L);
      for (int i = 0; i < lines; i++) {
        at = at.plusSeconds(random.nextInt(1_800));
        String head = "{\"parentUuid\":\"p-" + i + "\",\"isSidechain\":false,\"userType\":\"external\",\"cwd\":"
            + "\"/home/dev/project-" + (f % 3) + "\",\"sessionId\":\"" + session + "\",\"version\":\"1.0.51\","
            + "\"gitBranch\":\"main\",";
        switch (i % 4) {
          case 0 -> log.append(head).append("\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"")
              .append(text(random, 60)).append("\"},\"uuid\":\"u").append(i).append("\",\"timestamp\":\"")
              .append(at).append("\"}\n");
          case 2 -> log.append(head).append("\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{")
              .append("\"tool_use_id\":\"toolu_").append(i).append("\",\"type\":\"tool_result\",\"content\":\"")
              .append(text(random, 200)).append("\",\"is_error\":false}]},\"timestamp\":\"").append(at)
              .append("\"}\n");
          default -> log.append(head).append("\"type\":\"assistant\",\"message\":{\"id\":\"msg_").append(f)
              .append('_').append(i / 4).append("\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"")
              .append(MODELS[random.nextInt(MODELS.length)]).append("\",\"content\":[{\"type\":\"text\",\"text\":\"")
              .append(text(random, 40)).append("\"}],\"usage\":{\"input_tokens\":").append(random.nextInt(50))
              .append(",\"cache_creation_input_tokens\":").append(random.nextInt(2_000))
              .append(",\"cache_read_input_tokens\":").append(random.nextInt(30_000)).append(",\"output_tokens\":")
              .append(1 + random.nextInt(900)).append(",\"service_tier\":\"standard\"}},\"requestId\":\"req_")
              .append(f).append('_').append(i / 4).append("\",\"timestamp\":\"").append(at).append("\"}\n");
        }
      }
      Path file = projects.resolve("-home-dev-project-" + (f % 3)).resolve(session + ".jsonl");
      Files.createDirectories(file.getParent());
      Files.writeString(file, log);
    }
  }

  private static String text(Random random, int words) {
    StringBuilder text = new StringBuilder();
    for (int w = 0; w < words; w++) {
      text.append(WORDS[random.nextInt(WORDS.length)]).append(w % 9 == 8 ? "\\n" : w % 13 == 12 ? "\\\"" : " ");
    }
    return text.toString();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    List<Path> paths = new ArrayList<>();
    try (var walk = Files.walk(dir)) {
      walk.forEach(paths::add);
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(paths.get(i));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
