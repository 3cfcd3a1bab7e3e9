package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.app.view.Format;
import dev.tokenwatch.ingest.CostUsd;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report session}, {@code report project} and {@code --breakdown} against the generated
 * Claude Code tree's oracle; {@code --since}/{@code --until} in their relative forms.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionReportCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  CliHarness cli;
  ClaudeCodeTree tree;

  @BeforeAll
  void setUp() throws IOException {
    cli = new CliHarness(dir);
    cli.variables.put("CLAUDE_CONFIG_DIR", dir.resolve("claude").toString());
    tree = ClaudeCodeTree.write(dir.resolve("claude/projects"), 11);
    CliHarness.Result ingest = cli.run("ingest", "--quiet"); // the sources; the reports below read nothing new
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
  }

  private JsonNode json(String... args) throws IOException {
    CliHarness.Result result = cli.run(args);
    assertThat(result.exitCode()).as(result.err()).isZero();
    return JSON.readTree(result.out());
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.isNull() ? null : v.asText()));
    return values;
  }

  private static void assertActivity(JsonNode row, ClaudeCodeTree.Activity expected, String key) {
    assertThat(row.get("firstHour").asText()).as(key).isEqualTo(expected.firstHour.toString());
    assertThat(row.get("lastHour").asText()).as(key).isEqualTo(expected.lastHour.toString());
    assertThat(new TreeSet<>(texts(row.get("models")))).as(key).isEqualTo(expected.models);
    assertThat(row.get("totalTokens").asLong()).as(key).isEqualTo(expected.totalTokens);
    assertThat(row.get("calls").asLong()).as(key).isEqualTo(expected.calls);
    assertThat(new BigDecimal(row.get("costUsd").asText())).as(key).isEqualByComparingTo(CostUsd.of(expected.costNanoUsd));
  }

  /** Newest activity first: last hours never increase, and equal ones go largest first. */
  private static void assertNewestFirst(JsonNode rows) {
    for (int i = 1; i < rows.size(); i++) {
      Instant before = Instant.parse(rows.get(i - 1).get("lastHour").asText());
      Instant after = Instant.parse(rows.get(i).get("lastHour").asText());
      assertThat(after).isBeforeOrEqualTo(before);
      if (after.equals(before)) {
        assertThat(rows.get(i).get("totalTokens").asLong()).isLessThanOrEqualTo(rows.get(i - 1).get("totalTokens").asLong());
      }
    }
  }

  @Test
  void sessionsMatchTheOracle() throws IOException {
    JsonNode report = json("report", "session", "--json");
    assertThat(report.get("view").asText()).isEqualTo("session");
    JsonNode sessions = report.get("sessions");
    Map<String, JsonNode> byKey = new TreeMap<>();
    sessions.forEach(s -> byKey.put(s.get("session").asText(), s));
    assertThat(byKey.keySet()).isEqualTo(tree.sessions().keySet());
    tree.sessions().forEach((session, expected) -> {
      assertActivity(byKey.get(session), expected, session);
      assertThat(texts(byKey.get(session).get("projects"))).isEqualTo(List.copyOf(expected.related));
    });
    assertNewestFirst(sessions);
    long all = tree.perDay().values().stream().mapToLong(Long::longValue).sum();
    assertThat(report.get("total").get("totalTokens").asLong()).isEqualTo(all);
  }

  @Test
  void projectsMatchTheOracle() throws IOException {
    JsonNode projects = json("report", "project", "--json").get("projects");
    Map<String, JsonNode> byKey = new TreeMap<>();
    projects.forEach(p -> byKey.put(p.get("project").asText(), p));
    assertThat(byKey.keySet()).isEqualTo(tree.projects().keySet());
    tree.projects().forEach((project, expected) -> {
      assertActivity(byKey.get(project), expected, project);
      assertThat(byKey.get(project).get("sessions").asInt()).isEqualTo(expected.related.size());
    });
    assertNewestFirst(projects);
  }

  @Test
  void breakdownAddsARowPerModelThatSumsToItsRow() throws IOException {
    JsonNode sessions = json("report", "session", "--breakdown", "--json").get("sessions");
    for (JsonNode session : sessions) {
      long sum = 0;
      List<String> models = new ArrayList<>();
      for (JsonNode model : session.get("breakdown")) {
        sum += model.get("totalTokens").asLong();
        models.add(model.get("model").asText());
      }
      assertThat(sum).isEqualTo(session.get("totalTokens").asLong());
      assertThat(models).isEqualTo(texts(session.get("models")));
    }
    // a daily report by project, broken down by model, adds up to the oracle's tokens per day and model
    Map<String, Map<String, Long>> perDayAndModel = new TreeMap<>();
    json("report", "daily", "--by", "project", "--breakdown", "--json").get("periods").forEach(p -> {
      assertThat(p.get("total").has("breakdown")).isFalse();
      p.get("models").forEach(project -> project.get("breakdown").forEach(m -> perDayAndModel
          .computeIfAbsent(p.get("start").asText(), d -> new TreeMap<>())
          .merge(m.get("model").asText(), m.get("totalTokens").asLong(), Long::sum)));
    });
    assertThat(perDayAndModel).isEqualTo(tree.perDayAndModel());
    // rows per model have nothing to break down
    assertThat(json("report", "daily", "--breakdown", "--json").get("periods").get(0).get("models").get(0)
        .has("breakdown")).isFalse();
  }

  @Test
  void repricedSessionsPriceEveryEventAgainWithTheSameResultForUnchangedPrices() throws IOException {
    JsonNode stored = json("report", "project", "--json");
    JsonNode repriced = json("report", "project", "--reprice", "--json");
    assertThat(stored.get("repriced").isNull()).isTrue();
    assertThat(repriced.get("repriced").asText()).startsWith("@pydantic/genai-prices");
    assertThat(repriced.get("projects")).isEqualTo(stored.get("projects")); // the built-in table then and now
    assertThat(cli.run("report", "session", "--reprice").out()).contains("Repriced: every event priced again");
  }

  @Test
  void textTablesShowTheRowsTheirHoursAndTheBreakdown() {
    String sessionId = tree.sessions().keySet().iterator().next();
    ClaudeCodeTree.Activity expected = tree.sessions().get(sessionId);
    String text = cli.run("report", "session").out();
    assertThat(text).startsWith("Usage by session, newest activity first, with the hours of the first and last "
        + "activity (UTC)\n\nSession ");
    String row = text.lines().filter(l -> l.startsWith(sessionId + " ")).findFirst().orElseThrow();
    assertThat(row).contains(String.join(", ", expected.related))
        .contains(expected.firstHour.toString().replace("T", " ").replace(":00Z", ""))
        .contains(expected.lastHour.toString().replace("T", " ").replace(":00Z", ""))
        .contains(Format.tokens(expected.totalTokens));
    assertThat(text).contains("TOTAL").contains(tree.sessions().size() + " sessions");

    String projects = cli.run("report", "project", "--breakdown").out();
    assertThat(projects).contains("Project ").contains("Sessions").contains("/home/ann/alpha")
        .contains("-home-ann-gamma").containsPattern("\n +  claude-opus-4-1-20250805 +[0-9]");
    String daily = cli.run("report", "daily", "--by", "project", "--breakdown", "--since", "2026-11-03",
        "--until", "2026-11-03").out();
    // each project a row, its models indented under it
    assertThat(daily).containsPattern("\n2026-11-03 {3}\\S+ +[0-9]").containsPattern("\n {13}[-/]home/ann.* +[0-9]")
        .containsPattern("\n {15}claude-sonnet-4-5-20250929 +[0-9]");
  }

  @Test
  void sinceAndUntilTakeBothSpellingsAndRelativeForms() throws IOException {
    JsonNode basic = json("report", "daily", "--since", "20261105", "--until", "20261106", "--json");
    assertThat(basic.get("since").asText()).isEqualTo("2026-11-05");
    assertThat(basic.get("until").asText()).isEqualTo("2026-11-06");
    assertThat(basic.get("periods")).hasSize(2);
    JsonNode week = json("report", "daily", "--since", "7d", "--json"); // now is Monday 2026-11-16, 12:00 UTC
    assertThat(week.get("since").asText()).isEqualTo("2026-11-10");
    JsonNode lastMonth = json("report", "monthly", "--since", "last-month", "--until", "last-month", "--json");
    assertThat(lastMonth.get("since").asText()).isEqualTo("2026-10-01");
    assertThat(lastMonth.get("until").asText()).isEqualTo("2026-10-31");
    assertThat(lastMonth.get("periods")).isEmpty();
    JsonNode lastWeek = json("report", "session", "--since", "last-week", "--until", "last-week", "--json");
    assertThat(lastWeek.get("since").asText()).isEqualTo("2026-11-09");
    lastWeek.get("sessions").forEach(s -> {
      assertThat(s.get("firstHour").asText()).isGreaterThanOrEqualTo("2026-11-09");
      assertThat(s.get("lastHour").asText()).isLessThan("2026-11-16");
    });

    CliHarness.Result backwards = cli.run("report", "daily", "--since", "this-month", "--until", "last-month");
    assertThat(backwards.exitCode()).isEqualTo(2);
    assertThat(backwards.err()).isEqualTo("tokenwatch: --until (last-month: 2026-10-31) must not be before --since "
        + "(this-month: 2026-11-01)\n");
    CliHarness.Result by = cli.run("report", "session", "--by", "model");
    assertThat(by.exitCode()).isEqualTo(2);
    assertThat(by.err()).isEqualTo("tokenwatch: --by applies to daily, weekly and monthly reports; report session "
        + "has a row per session (--breakdown adds its models)\nSee 'tokenwatch report --help'.\n");
  }
}
