package dev.tokenwatch.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A generated Claude Code log tree ({@code projects/<dir>/<session>.jsonl}) with its oracle worked
 * out here, apart from the ingest and report code: per message the usage of its last (largest) line,
 * summed per UTC day (tokens, and cost from {@link IndependentPrices}, also per model), per project
 * (the line's {@code cwd}, or the directory name where lines carry none) and per session, each with
 * the UTC hours of its first and last counted line, its models and its sessions or project.
 */
record ClaudeCodeTree(Path root, Map<String, Long> perDay, Map<String, Long> perProject,
    Map<String, Long> costPerDay, Map<String, Map<String, Long>> perDayAndModel,
    Map<String, Activity> sessions, Map<String, Activity> projects) {

  private static final String[][] PROJECTS = {{"-home-ann-alpha", "/home/ann/alpha"},
      {"-home-ann-beta", "/home/ann/beta"}, {"-home-ann-gamma", null}};
  private static final String[] MODELS = {"claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805"};

  /** What the oracle expects of one session or project. */
  static final class Activity {
    Instant firstHour;
    Instant lastHour;
    final TreeSet<String> models = new TreeSet<>();
    /** For a session its project, for a project its sessions. */
    final TreeSet<String> related = new TreeSet<>();
    long totalTokens;
    long costNanoUsd;
    long calls;

    void add(Instant at, String model, String relatedKey, long tokens, long cost) {
      Instant hour = at.truncatedTo(ChronoUnit.HOURS);
      firstHour = firstHour == null || hour.isBefore(firstHour) ? hour : firstHour;
      lastHour = lastHour == null || hour.isAfter(lastHour) ? hour : lastHour;
      models.add(model);
      related.add(relatedKey);
      totalTokens += tokens;
      costNanoUsd += cost;
      calls++;
    }
  }

  static ClaudeCodeTree write(Path root, long seed) throws IOException {
    IndependentPrices prices = IndependentPrices.builtIn();
    Random random = new Random(seed);
    Map<String, Long> perDay = new TreeMap<>();
    Map<String, Long> perProject = new TreeMap<>();
    Map<String, Long> costPerDay = new TreeMap<>();
    Map<String, Map<String, Long>> perDayAndModel = new TreeMap<>();
    Map<String, Activity> sessions = new TreeMap<>();
    Map<String, Activity> projects = new TreeMap<>();
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    int message = 0;
    for (String[] project : PROJECTS) {
      for (int session = 0; session < 3; session++) {
        StringBuilder log = new StringBuilder();
        String sessionId = project[0] + "-s" + session;
        String projectKey = project[1] != null ? project[1] : project[0];
        for (int m = 0; m < 40; m++) {
          Instant at = start.plusSeconds(random.nextInt(15 * 86_400));
          String model = MODELS[random.nextInt(MODELS.length)];
          long input = random.nextInt(50);
          long cacheRead = random.nextInt(20_000);
          long output = 0;
          int repeats = 1 + random.nextInt(3);
          String id = "msg_" + message++;
          log.append("{\"type\":\"user\",\"timestamp\":\"").append(at).append("\",\"sessionId\":\"").append(sessionId)
              .append("\",\"message\":{\"role\":\"user\",\"content\":\"go\"}}\n");
          for (int r = 0; r < repeats; r++) {
            output += 1 + random.nextInt(400); // each line of a message reports its usage so far
            log.append("{\"type\":\"assistant\",\"timestamp\":\"").append(at.plusSeconds(r)).append('"')
                .append(project[1] == null ? "" : ",\"cwd\":\"" + project[1] + '"')
                .append(",\"sessionId\":\"").append(sessionId).append("\",\"requestId\":\"req_").append(id)
                .append("\",\"message\":{\"id\":\"").append(id).append("\",\"model\":\"").append(model)
                .append("\",\"usage\":{\"input_tokens\":").append(input).append(",\"cache_read_input_tokens\":")
                .append(cacheRead).append(",\"output_tokens\":").append(output).append("}}}\n");
          }
          long total = input + cacheRead + output;
          // the line that counts is the last, largest one: its time decides the day and the hour
          Instant counted = at.plusSeconds(repeats - 1);
          long cost = prices.nanoUsd(model, counted, input, output, 0, cacheRead);
          String day = counted.atZone(ZoneOffset.UTC).toLocalDate().toString();
          perDay.merge(day, total, Long::sum);
          costPerDay.merge(day, cost, Long::sum);
          perDayAndModel.computeIfAbsent(day, d -> new TreeMap<>()).merge(model, total, Long::sum);
          perProject.merge(projectKey, total, Long::sum);
          sessions.computeIfAbsent(sessionId, s -> new Activity()).add(counted, model, projectKey, total, cost);
          projects.computeIfAbsent(projectKey, p -> new Activity()).add(counted, model, sessionId, total, cost);
        }
        Path file = root.resolve(project[0]).resolve(sessionId + ".jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, log);
      }
    }
    return new ClaudeCodeTree(root, perDay, perProject, costPerDay, perDayAndModel, sessions, projects);
  }
}
