package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.ingest.Ingestor;
import dev.tokenwatch.ingest.UsageReport;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report daily --json} cost per (day, model) on a generated Claude Code corpus against a cost
 * worked out in the test from the built-in table ({@link IndependentPrices}, not the production
 * pricing), to the nano-dollar. The corpus has tiered prompts (above 200,000 and 128,000 tokens),
 * a price change inside its days (claude-sonnet-4-6 on 2026-03-13), prices finer than a nano-dollar
 * a token (rounded per event), cache writes and reads, and a model the table does not price.
 */
class ReportCostTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] MODELS = {"claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805",
      "claude-sonnet-4-6", "claude-haiku-4-5-20251001", "gemini-flash-1.5-8b", "claude-nova-9"};

  @TempDir
  Path dir;

  CliHarness cli;
  /** Per day and model: the cost in nano-dollars of its priced events, and how many are unpriced. */
  final Map<String, Map<String, Long>> cost = new TreeMap<>();
  final Map<String, Map<String, Long>> unpriced = new TreeMap<>();
  /** What the corpus covers: prompts above 200,000 tokens, and claude-sonnet-4-6 before and after its price change. */
  long aboveTier;
  long sonnet46Before;
  long sonnet46After;

  @BeforeEach
  void setUp() throws IOException {
    cli = new CliHarness(dir);
    cli.config("""
        budget: {name: team, limit: 1000000000}
        store: {type: file, path: usage}
        notifiers: []
        """);
    writeCorpus(dir.resolve("projects"), 29);
    assertThat(aboveTier).as("tiered prompts").isPositive();
    assertThat(sonnet46Before).isPositive();
    assertThat(sonnet46After).isPositive();
  }

  /** Claude Code session logs; the oracle takes each message's last (largest) line, as the format documents. */
  private void writeCorpus(Path root, long seed) throws IOException {
    IndependentPrices prices = IndependentPrices.builtIn();
    Random random = new Random(seed);
    Instant start = Instant.parse("2026-03-08T00:00:00Z");
    int message = 0;
    for (int project = 0; project < 3; project++) {
      for (int session = 0; session < 3; session++) {
        StringBuilder log = new StringBuilder();
        String sessionId = "p" + project + "-s" + session;
        for (int m = 0; m < 60; m++) {
          Instant at = start.plusSeconds(random.nextInt(10 * 86_400));
          String model = MODELS[random.nextInt(MODELS.length)];
          boolean large = random.nextInt(4) == 0; // a prompt past the tiers' thresholds
          long input = random.nextInt(large ? 90_000 : 3_000);
          long cacheCreation = random.nextInt(4) == 0 ? 0 : random.nextInt(large ? 50_000 : 8_000);
          long cacheRead = random.nextInt(large ? 150_000 : 40_000);
          long output = 0;
          int repeats = 1 + random.nextInt(3);
          String id = "msg_" + message++;
          for (int r = 0; r < repeats; r++) {
            output += 1 + random.nextInt(700);
            log.append("{\"type\":\"assistant\",\"timestamp\":\"").append(at.plusSeconds(r))
                .append("\",\"cwd\":\"/home/ann/p").append(project).append("\",\"sessionId\":\"").append(sessionId)
                .append("\",\"requestId\":\"req_").append(id).append("\",\"message\":{\"id\":\"").append(id)
                .append("\",\"model\":\"").append(model).append("\",\"usage\":{\"input_tokens\":").append(input)
                .append(",\"cache_creation_input_tokens\":").append(cacheCreation)
                .append(",\"cache_read_input_tokens\":").append(cacheRead).append(",\"output_tokens\":")
                .append(output).append("}}}\n");
          }
          Instant counted = at.plusSeconds(repeats - 1);
          aboveTier += input + cacheCreation + cacheRead > 200_000 ? 1 : 0;
          if (model.equals("claude-sonnet-4-6")) {
            boolean after = !counted.isBefore(Instant.parse("2026-03-13T00:00:00Z"));
            sonnet46After += after ? 1 : 0;
            sonnet46Before += after ? 0 : 1;
          }
          String day = counted.atZone(ZoneOffset.UTC).toLocalDate().toString();
          if (prices.prices(model)) {
            cost.computeIfAbsent(day, d -> new TreeMap<>()).merge(model,
                prices.nanoUsd(model, counted, input, output, cacheCreation, cacheRead), Long::sum);
          } else {
            cost.computeIfAbsent(day, d -> new TreeMap<>()).putIfAbsent(model, 0L);
            unpriced.computeIfAbsent(day, d -> new TreeMap<>()).merge(model, 1L, Long::sum);
          }
        }
        Path file = root.resolve("-home-ann-p" + project).resolve(sessionId + ".jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, log);
      }
    }
  }

  /** Every (day, model) of the report has exactly the oracle's cost, or null and its unpriced events. */
  private void assertCostsMatch(JsonNode report) {
    Map<String, Map<String, Long>> seen = new TreeMap<>();
    for (JsonNode period : report.get("periods")) {
      String day = period.get("start").asText();
      for (JsonNode row : period.get("models")) {
        String model = row.get("model").asText();
        seen.computeIfAbsent(day, d -> new TreeMap<>()).put(model, 0L);
        long unpricedEvents = unpriced.getOrDefault(day, Map.of()).getOrDefault(model, 0L);
        assertThat(row.path("unpricedEvents").asLong()).as(day + " " + model + " unpriced").isEqualTo(unpricedEvents);
        if (unpricedEvents > 0) {
          assertThat(row.get("costUsd").isNull()).as(day + " " + model + ": unknown, not $0").isTrue();
        } else {
          assertThat(row.get("costUsd").decimalValue()).as(day + " " + model)
              .isEqualByComparingTo(BigDecimal.valueOf(cost.get(day).get(model), 9));
        }
      }
    }
    assertThat(seen.keySet()).isEqualTo(cost.keySet());
    cost.forEach((day, models) -> assertThat(seen.get(day).keySet()).as(day).isEqualTo(models.keySet()));
  }

  private JsonNode run(String... args) throws IOException {
    CliHarness.Result result = cli.run(args);
    assertThat(result.exitCode()).as(result.err()).isZero();
    return JSON.readTree(result.out());
  }

  @Test
  void dailyReportCostMatchesTheIndependentPricingOverTheInMemoryStore() throws IOException {
    // what report daily --json prints (UsageReport.toJson of the budget's zone), over the in-memory store
    TokenTracker tracker = TokenTracker.builder(TokenBudget.builder().limit(1_000_000_000L)
        .period(BudgetPeriod.MONTHLY).build()).store(new InMemoryUsageStore()).clock(() -> CliHarness.NOW).build();
    Ingestor.builder(tracker).clock(() -> CliHarness.NOW).build().ingest(List.of(dir.resolve("projects").toString()));
    UsageReport report = UsageReport.of(tracker, new UsageReport.Request(BudgetPeriod.DAILY, ZoneOffset.UTC, null,
        null, Dimension.MODEL, UsageFilter.ANY));
    assertCostsMatch(JSON.readTree(report.toJson()));
  }

  /**
   * Through the CLI over the file store. Fails until the file store keeps each event's cost (it
   * returns events unpriced so far): then it checks the stored costs end to end.
   */
  @Test
  void dailyReportCostMatchesTheIndependentPricingThroughTheCliOverTheFileStore() throws IOException {
    assertThat(cli.run("ingest", "projects").exitCode()).isZero();
    assertCostsMatch(run("report", "daily", "--json"));
  }

  @Test
  void aRepricedReportMatchesTooAndSaysSo() throws IOException {
    assertThat(cli.run("ingest", "projects").exitCode()).isZero();
    JsonNode repriced = run("report", "daily", "--json", "--reprice");
    assertCostsMatch(repriced);
    assertThat(repriced.get("repriced").asText()).isEqualTo("@pydantic/genai-prices 0.1.8 (MIT, https://github.com/pydantic/genai-prices) of 2026-09-23");

    CliHarness.Result text = cli.run("report", "daily", "--reprice", "--since", "2026-03-10", "--until", "2026-03-10");
    assertThat(text.out()).contains("Repriced: every event priced again with today's prices (@pydantic/genai-prices "
        + "0.1.8 (MIT, https://github.com/pydantic/genai-prices) of 2026-09-23), not the costs stored when it was recorded; the ledger is unchanged.\n");
    assertThat(text.out()).contains("  Calls  Cost (USD)  Share of limit\n");
    assertThat(text.out()).containsPattern("(?m)^ +claude-nova-9 .* — *$");
    assertThat(text.out()).contains("events (").contains(" tokens) have no price: 'tokenwatch doctor' lists their models");
    long nova = unpriced.get("2026-03-10").get("claude-nova-9");
    assertThat(text.out()).contains("* cost of the priced events only; — no event has a price. " + nova + " events (");
  }
}
