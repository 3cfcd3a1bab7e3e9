package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.app.view.Format;
import dev.tokenwatch.app.view.Json;
import dev.tokenwatch.app.view.StatusView;
import dev.tokenwatch.app.wiring.EffectivePrices;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.ConfigLoader;
import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackResult;
import dev.tokenwatch.domain.TrackedBudget;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code status} and {@code track} show of the four budgets, over the in-memory store
 * (which keeps costs): the tracker the application builds from the parsed configuration, with the
 * built-in prices, events of {@link BudgetsCliTest#events()}.
 */
class BudgetsStatusTest {

  /** {@code status} of the four budgets after {@link BudgetsCliTest#events()}. */
  static final String OVERVIEW = """
      org-month  [████████████░░░░░░░░] 58.7%  $1,174.80 of $2,000.00 — 16.0 M tokens  (monthly, 14d 12h left; \
      alerts up to 50.0% fired; $75.79 a day, projected 113.7%)
      org-day    [████████████████████] 783.2%  $1,174.80 of $150.00 — 16.0 M tokens  (daily, 12h 0m left; \
      alerts up to 100.0% fired; $97.90 an hour, projected 1566.4%)
      search     [████████████████████] 281.6%  $1,126.50 of $400.00 — 15.1 M tokens  (monthly, 14d 12h left; \
      only tag team=search; alerts up to 100.0% fired; $72.68 a day, projected 545.1%)
      opus       [████████████████░░░░] 78.5%  15,700,000 of 20,000,000 tokens  (weekly, 6d 12h left; only model \
      claude-opus-*; alerts up to 70.0% fired; 31,400,000 tokens a day)

      org-month: 1 unpriced call (1,000 tokens), not counted in dollars: see 'tokenwatch prices', or price the \
      model under prices: in the configuration
      org-day: 1 unpriced call (1,000 tokens), not counted in dollars: see 'tokenwatch prices', or price the \
      model under prices: in the configuration

      Details of one budget: tokenwatch status --budget NAME
      """;

  /** {@code status --budget org-day} after {@link BudgetsCliTest#events()}. */
  static final String ORG_DAY = """
      Budget  org-day (daily, UTC)
      Period  2026-11-16 00:00 UTC to 2026-11-17 00:00 UTC, 12h 0m left
      Usage   [████████████████████] 783.2%
      Used    $1,174.80 of $150.00 (783.2%) — 16.0 M tokens, $0.00 remaining
      Unpriced 1 unpriced call (1,000 tokens), not counted in dollars: see 'tokenwatch prices', or price the \
      model under prices: in the configuration
      Alerts  80.0% (warning), 100.0% (critical) fired this period
      Burn    $97.90 an hour on average so far (12h 0m); projected $2,349.60 (1566.4%) by the period's end

      Model                     Tokens   Share    Calls        Cost
      claude-opus-4-1       15,700,000   99.7%        3   $1,171.50
      claude-sonnet-4-5        300,000    0.3%        1       $3.30
      my-llama                   1,000    0.0%        1    unpriced
      """;

  @TempDir
  Path dir;

  private final List<Alert> alerts = new CopyOnWriteArrayList<>();
  private TokenTracker tracker;
  private final List<TrackResult> results = new java.util.ArrayList<>();

  @BeforeEach
  void trackTheEvents() {
    CliHarness harness = new CliHarness(dir);
    AppConfig config = new ConfigLoader(harness.environment())
        .parse(BudgetsCliTest.FOUR_BUDGETS, "config.yaml", dir.resolve("config.yaml"));
    tracker = TokenTracker.builder(config.budgets()).store(new InMemoryUsageStore()).clock(() -> CliHarness.NOW)
        .sink(alerts::add).prices(EffectivePrices.of(config)).build();
    for (TokenUsageEvent event : BudgetsCliTest.events()) {
      results.add(tracker.track(event));
    }
  }

  @Test
  void eachBudgetFiresItsAlertsOnce() {
    assertThat(alerts.stream().map(a -> a.budgetName() + " " + Format.percent(a.threshold())).toList())
        .containsExactly("org-day 80.0%", "org-month 50.0%", "org-day 100.0%", "search 100.0%", "opus 70.0%");
    assertThat(alerts.get(0).message()).startsWith("Budget 'org-day' at 83.2% ($124.80 of $150.00, ");
  }

  @Test
  void trackShowsEveryBudgetAndWhatIsOutsideItsScope() {
    TrackResult second = results.get(1);
    assertThat(second.budgets().stream().map(TrackCommand::usage).toList()).containsExactly(
        " $79.80 of $2,000.00 used (4.0%), $1,920.20 remaining",
        " $79.80 of $150.00 used (53.2%), $70.20 remaining",
        " $76.50 of $400.00 used (19.1%), $323.50 remaining",
        " 1,100,000 of 20,000,000 tokens used (5.5%), 18,900,000 remaining");
    TrackResult unpriced = results.get(3);
    assertThat(TrackCommand.usage(unpriced.budgets().get(0)))
        .endsWith("; 1 unpriced call (1,000 tokens) this period not counted");
  }

  @Test
  void statusShowsALineEachWithDollarsAndTokensAndNamesTheUnpricedCalls() {
    List<StatusView> views = tracker.budgets().stream().map(b -> StatusView.summary(b, CliHarness.NOW)).toList();
    assertThat(StatusCommand.overview(views, new Format(false))).isEqualTo(OVERVIEW);
  }

  @Test
  void oneBudgetInDetailShowsCostPerModel() {
    assertThat(StatusView.read(tracker.budget("org-day"), CliHarness.NOW).text(new Format(false))).isEqualTo(ORG_DAY);
  }

  @Test
  void jsonHasEveryBudgetInItsUnitWithCostAndUnpricedCalls() throws Exception {
    TrackedBudget orgMonth = tracker.budget("org-month");
    String json = Json.object(out -> {
      out.writeArrayFieldStart("budgets");
      for (TrackedBudget budget : tracker.budgets()) {
        StatusView.read(budget, CliHarness.NOW).json(out);
      }
      out.writeEndArray();
    });
    JsonNode budgets = new ObjectMapper().readTree(json).get("budgets");
    assertThat(budgets).hasSize(4);
    JsonNode month = budgets.get(0);
    assertThat(month.get("budget").asText()).isEqualTo(orgMonth.getBudget().name());
    assertThat(month.get("unit").asText()).isEqualTo("usd");
    assertThat(month.get("limit").decimalValue()).isEqualByComparingTo("2000");
    assertThat(month.get("used").decimalValue()).isEqualByComparingTo("1174.80");
    assertThat(month.get("remaining").decimalValue()).isEqualByComparingTo("825.20");
    assertThat(month.get("costUsd").decimalValue()).isEqualByComparingTo("1174.80");
    assertThat(month.get("totalTokens").asLong()).isEqualTo(16_001_000);
    assertThat(month.get("unpricedEvents").asLong()).isEqualTo(1);
    assertThat(month.get("unpricedTokens").asLong()).isEqualTo(1_000);
    assertThat(month.get("countedFromLedger").asBoolean()).isFalse();
    JsonNode search = budgets.get(2);
    assertThat(search.get("scope").asText()).isEqualTo("tag team=search");
    assertThat(search.has("unpricedEvents")).as("only where non-zero").isFalse();
    JsonNode opus = budgets.get(3);
    assertThat(opus.get("unit").asText()).isEqualTo("tokens");
    assertThat(opus.get("used").asLong()).isEqualTo(15_700_000);
    assertThat(opus.get("costUsd").decimalValue()).isEqualByComparingTo("1171.50");
    assertThat(opus.get("models").get(0).get("model").asText()).isEqualTo("claude-opus-4-1");
    assertThat(opus.get("firedThresholds").toString()).isEqualTo("[0.5,0.7]");
    assertThat(budgets.get(1).get("firedThresholds").toString()).isEqualTo("[0.8,1.0]");
    assertThat(budgets.findValuesAsText("budget").stream().collect(Collectors.joining(",")))
        .isEqualTo("org-month,org-day,search,opus");
  }
}
