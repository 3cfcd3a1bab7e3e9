package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.app.view.StatusView;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.ConfigLoader;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The four budgets end to end through the CLI, on the file store and on H2: events tracked
 * and ingested, each budget's alerts fired once, {@code status}, {@code check}, {@code report
 * --budget} and {@code reset --budget} per budget, a budget added later counted from the ledger.
 * Dollar amounts come from the built-in prices (claude-opus-4-1 at $15 in, $75 out per million;
 * claude-sonnet-4-5 at $3 and $15); my-llama has no price.
 */
class BudgetsCliTest {

  /** The four budgets of the issue (tokenwatch-config's BudgetsConfigTest reads them field by field). */
  static final String FOUR_BUDGETS = """
      budgets:
        - {name: org-month, limit: 2000 USD, period: monthly}
        - {name: org-day,   limit: 150 USD,  period: daily, alertThresholds: [0.8, 1.0]}
        - {name: search,    limit: 400 USD,  period: monthly, scope: {tags: {team: search}}}
        - {name: opus,      limit: 20000000, period: weekly,  scope: {models: ["claude-opus-*"]}}
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  java.nio.file.Path dir;

  /** One call of {@link #events()}: tracked with {@code track}, except the one ingested. */
  record Call(String model, long input, long output, String team, String requestId, int minute) {
    Instant at() {
      return CliHarness.NOW.minusSeconds(3600 - 60L * minute);
    }

    TokenUsageEvent event() {
      TokenUsageEvent.Builder builder = TokenUsageEvent.builder(model).inputTokens(input).outputTokens(output)
          .timestamp(at()).requestId(requestId);
      return (team == null ? builder : builder.tag("team", team)).build();
    }

    String[] trackArgs() {
      List<String> args = new ArrayList<>(List.of("track", "--model", model, "--input", String.valueOf(input),
          "--output", String.valueOf(output), "--at", at().toString()));
      if (team != null) {
        args.addAll(List.of("--tag", "team=" + team));
      }
      if (requestId != null) {
        args.addAll(List.of("--request-id", requestId));
      }
      return args.toArray(String[]::new);
    }
  }

  static final List<Call> CALLS = List.of(
      new Call("claude-opus-4-1", 100_000, 1_000_000, "search", "r1", 0),   // $76.50
      new Call("claude-sonnet-4-5", 100_000, 200_000, "core", null, 1),      // $3.30
      new Call("claude-opus-4-1", 0, 600_000, null, null, 2),                // $45.00: org-day at 83.2%
      new Call("my-llama", 1_000, 0, null, "r4", 3),                         // unpriced; ingested
      new Call("claude-opus-4-1", 0, 14_000_000, "search", null, 4));        // $1,050.00: four alerts

  /** The events of {@link #CALLS}, in order, then the first again (a duplicate). */
  static List<TokenUsageEvent> events() {
    List<TokenUsageEvent> events = new ArrayList<>(CALLS.stream().map(Call::event).toList());
    events.add(CALLS.get(0).event());
    return events;
  }

  private CliHarness cli;

  private String config(String store, String extraBudget) {
    String storeSection = store.equals("file") ? "store:\n  type: file\n  path: usage\n"
        : "store:\n  type: jdbc\n  url: jdbc:h2:file:" + dir.resolve("db").resolve("tokens").toString()
            .replace('\\', '/') + "\n";
    return FOUR_BUDGETS + extraBudget + storeSection + "notifiers:\n  - type: console\n";
  }

  private CliHarness.Result ok(String... args) {
    CliHarness.Result result = cli.run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isZero();
    return result;
  }

  private JsonNode json(String... args) throws IOException {
    return JSON.readTree(ok(args).out());
  }

  private static long count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    long n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"file", "h2"})
  void fourBudgetsThroughTheCli(String store) throws IOException {
    // soft: every figure that is wrong is reported, not only the first
    SoftAssertions softly = new SoftAssertions();
    cli = new CliHarness(dir);
    cli.config(config(store, ""));
    StringBuilder alerts = new StringBuilder();

    CliHarness.Result first = ok(CALLS.get(0).trackArgs());
    softly.assertThat(first.out()).startsWith("Tracked 1,100,000 tokens for claude-opus-4-1 (tags team=search):\n"
        + "  org-month  $76.50 of $2,000.00 used (").contains(
        "\n  org-day    $76.50 of $150.00 used (51.0%), $73.50 remaining\n",
        "\n  opus       1,100,000 of 20,000,000 tokens used (5.5%), 18,900,000 remaining\n");
    alerts.append(first.err());
    CliHarness.Result second = ok(CALLS.get(1).trackArgs());
    softly.assertThat(second.out()).contains("\n  org-day    $79.80 of $150.00 used (53.2%), $70.20 remaining\n",
        "\n  search     $76.50 of $400.00 used (19.1%), $323.50 remaining (not in its scope)\n");
    alerts.append(second.err());
    alerts.append(ok(CALLS.get(2).trackArgs()).err());
    Call unpriced = CALLS.get(3);
    cli.write("llama.jsonl", "{\"model\":\"my-llama\",\"inputTokens\":1000,\"outputTokens\":0,"
        + "\"cacheCreationTokens\":0,"
        + "\"cacheReadTokens\":0,\"totalTokens\":1000,\"timestamp\":\"" + unpriced.at() + "\",\"requestId\":\"r4\"}\n");
    alerts.append(ok("ingest", "--format", "tokenwatch", "llama.jsonl").err().lines()
        .filter(l -> l.matches(".*budget '[^']+'.* at [0-9.]+%.*")).map(l -> l + "\n").reduce("", String::concat));
    alerts.append(ok(CALLS.get(4).trackArgs()).err());
    CliHarness.Result duplicate = ok(CALLS.get(0).trackArgs());
    softly.assertThat(duplicate.out()).startsWith("Request r1 was already counted; nothing added:\n");
    softly.assertThat(duplicate.err()).isEmpty();

    // each budget's alerts once: org-day at 80% then 100%, the others at the highest threshold reached
    softly.assertThat(count(alerts.toString(), "'org-day' at 83\\.2%")).isEqualTo(1);
    softly.assertThat(count(alerts.toString(), "'org-day' at 783\\.2%")).isEqualTo(1);
    softly.assertThat(count(alerts.toString(), "'org-month' at 58\\.7%")).isEqualTo(1);
    softly.assertThat(count(alerts.toString(), "'search' \\(tag team=search\\) at 281\\.6%")).isEqualTo(1);
    softly.assertThat(count(alerts.toString(), "'opus' \\(model claude-opus-\\*\\) at 78\\.5%")).isEqualTo(1);
    softly.assertThat(alerts.toString().lines().count()).as(alerts.toString()).isEqualTo(5);

    softly.assertThat(ok("status").out()).isEqualTo(BudgetsStatusTest.OVERVIEW);
    softly.assertThat(ok("status", "--budget", "org-day").out()).isEqualTo(BudgetsStatusTest.ORG_DAY);
    JsonNode status = json("status", "--json").get("budgets");
    softly.assertThat(status.findValuesAsText("budget")).containsExactly("org-month", "org-day", "search", "opus");
    softly.assertThat(status.get(0).get("used").decimalValue()).isEqualByComparingTo("1174.80");
    softly.assertThat(status.get(0).get("unpricedEvents").asLong()).isEqualTo(1);
    softly.assertThat(status.get(3).get("used").asLong()).isEqualTo(15_700_000);
    softly.assertThat(json("status", "--json", "--budget", "search").get("budgets")).hasSize(1);

    CliHarness.Result check = cli.run("check");
    softly.assertThat(check.exitCode()).isEqualTo(ExitCodes.OVER);
    softly.assertThat(check.out()).isEqualTo("""
        ok: 58.7% of budget 'org-month' used ($1,174.80 of $2,000.00; 1 unpriced call (1,000 tokens) not counted), \
        under 100.0%
        over: 783.2% of budget 'org-day' used ($1,174.80 of $150.00; 1 unpriced call (1,000 tokens) not counted), \
        at or over 100.0%
        over: 281.6% of budget 'search' used ($1,126.50 of $400.00), at or over 100.0%
        ok: 78.5% of budget 'opus' used (15,700,000 of 20,000,000 tokens), under 100.0%
        over: 2 of 4 budgets at or over 100.0%: org-day, search
        """);
    softly.assertThat(cli.run("check", "--budget", "opus", "--at-most", "0.8").exitCode()).isZero();
    softly.assertThat(cli.run("check", "--budget", "opus", "--at-most", "78.5%").exitCode()).isEqualTo(ExitCodes.OVER);
    CliHarness.Result unknown = cli.run("check", "--budget", "serch");
    softly.assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    softly.assertThat(unknown.err()).contains("--budget: no budget is named \"serch\"; did you mean search? "
        + "(the budgets of " + dir.resolve("tokenwatch.yaml") + ": org-month, org-day, search, opus)");

    JsonNode report = json("report", "monthly", "--budget", "search", "--json");
    softly.assertThat(report.get("total").get("totalTokens").asLong()).isEqualTo(15_100_000);
    softly.assertThat(json("report", "monthly", "--budget", "opus", "--tag", "team=search", "--json").get("total")
        .get("totalTokens").asLong()).as("a narrower filter combines with the scope").isEqualTo(15_100_000);
    softly.assertThat(ok("report", "monthly", "--budget", "search").out())
        .startsWith("Budget search: $400.00 per monthly period\n");
    softly.assertThat(ok("report", "weekly", "--budget", "opus").out())
        .startsWith("Budget opus: 20,000,000 tokens per weekly period\n");
    softly.assertThat(ok("history", "--budget", "opus", "--json").out().lines())
        .as("history of a budget: its scope's events only").isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains("\"model\":\"claude-opus-"));
    softly.assertThat(ok("history", "--json").out()).contains("claude-sonnet-4-5");
    JsonNode opusWeeks = json("report", "weekly", "--budget", "opus", "--json");
    softly.assertThat(opusWeeks.get("unit").asText()).as("the named budget's unit, not the first's").isEqualTo("tokens");
    softly.assertThat(opusWeeks.get("periods").get(0).get("limit").asLong()).isEqualTo(20_000_000);
    CliHarness.Result conflict = cli.run("report", "monthly", "--budget", "search", "--tag", "team=core");
    softly.assertThat(conflict.exitCode()).isEqualTo(ExitCodes.USAGE);
    softly.assertThat(conflict.err())
        .contains("--budget search counts only tag team=search; --tag team=core contradicts it");

    // a budget added later: its period so far is counted from the ledger
    cli.config(config(store,
        "  - {name: late, limit: 100 USD, period: monthly, scope: {models: [\"claude-sonnet-*\"]}}\n"));
    CliHarness.Result late = ok("status", "--budget", "late");
    softly.assertThat(late.out()).contains("Used    $3.30 of $100.00 (3.3%) — 300.0 k tokens, $96.70 remaining\n",
        "Ledger  " + StatusView.LEDGER_NOTE + "\n");
    softly.assertThat(json("status", "--json", "--budget", "late").get("budgets").get(0).get("countedFromLedger")
        .asBoolean()).isTrue();
    softly.assertThat(ok("status").out()).contains("late: " + StatusView.LEDGER_NOTE);

    CliHarness.Result needsBudget = cli.run("reset", "--yes");
    softly.assertThat(needsBudget.exitCode()).isEqualTo(ExitCodes.USAGE);
    softly.assertThat(needsBudget.err()).contains("reset needs --budget NAME or --all");
    softly.assertThat(ok("reset", "--yes", "--budget", "opus").out())
        .isEqualTo("Reset budget 'opus' for the period 2026-11-16 00:00 UTC to 2026-11-23 00:00 UTC.\n");
    softly.assertThat(json("status", "--json", "--budget", "opus").get("budgets").get(0).get("used").asLong()).isZero();
    softly.assertAll();
  }

  @org.junit.jupiter.api.Test
  void budgetOptionsAreCheckedAndConfigPrintsEveryBudgetReadablyBack() throws IOException {
    cli = new CliHarness(dir);
    cli.config(FOUR_BUDGETS + "store:\n  type: memory\nnotifiers: []\n");
    String names = "(the budgets of " + dir.resolve("tokenwatch.yaml") + ": org-month, org-day, search, opus)";
    for (String[] args : List.of(new String[] {"status", "--budget", "nope"}, new String[] {"check", "--budget", "nope"},
        new String[] {"report", "monthly", "--budget", "nope"}, new String[] {"history", "--budget", "nope"},
        new String[] {"reset", "--yes", "--budget", "nope"})) {
      CliHarness.Result result = cli.run(args);
      assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(result.err()).contains("--budget: no budget is named \"nope\" " + names);
    }
    CliHarness.Result both = cli.run("reset", "--yes", "--all", "--budget", "opus");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("--budget and --all exclude each other");
    CliHarness.Result neither = cli.run("reset", "--yes");
    assertThat(neither.err()).contains("reset needs --budget NAME or --all: " + dir.resolve("tokenwatch.yaml")
        + " has 4 budgets (org-month, org-day, search, opus)");
    assertThat(ok("reset", "--yes", "--all").out().lines()).hasSize(4).allMatch(l -> l.startsWith("Reset budget '"));

    // nothing tracked yet, in a store that keeps no totals: every budget counted from the ledger
    String status = ok("status").out();
    assertThat(status).startsWith("org-month  [░░░░░░░░░░░░░░░░░░░░] 0.0%  $0.00 of $2,000.00 — 0 tokens  (monthly, "
        + "14d 12h left)\n");
    assertThat(status).contains("opus: " + StatusView.LEDGER_NOTE);

    String printed = ok("config").out();
    assertThat(printed).contains("""
        budgets:
          - name: org-month
            limit: 2000 USD
            period: monthly
        """, """
          - name: opus
            limit: 20000000
            period: weekly
            alertThresholds: [0.5, 0.7, 0.8, 1.0]
            zone: UTC
            historySize: 100
            scope: {models: ["claude-opus-*"]}
        """, "    scope: {tags: {team: search}}\n");
    cli.write("printed.yaml", printed);
    AppConfig original = new ConfigLoader(cli.environment()).load(java.util.Optional.empty());
    AppConfig reread = new ConfigLoader(cli.environment()).load(java.util.Optional.of("printed.yaml"));
    assertThat(reread.budgets()).isEqualTo(original.budgets());
  }
}
