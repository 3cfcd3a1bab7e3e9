package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.app.view.Format;
import dev.tokenwatch.app.view.Json;
import dev.tokenwatch.app.view.StatusView;
import dev.tokenwatch.app.wiring.EffectivePrices;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.ConfigLoader;
import dev.tokenwatch.domain.BudgetExceededException;
import dev.tokenwatch.domain.Reservation;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackedBudget;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code status} shows of hard budgets: the mode, the open reservations and the overshoot, as
 * text and JSON; over the in-memory store, with the tracker the application builds from the parsed
 * configuration. (The same through the CLI and the file store: {@link HardLimitsCliTest}.)
 */
class HardLimitStatusTest {

  static final String CONFIG = """
      budgets:
        - {name: team, limit: 20000, mode: hard}
        - {name: paid, limit: 1 USD, mode: hard, scope: {project: paid}}
        - {name: soft, limit: 100}
      """;

  @TempDir
  Path dir;

  private TokenTracker tracker;

  @BeforeEach
  void buildTheTracker() {
    CliHarness harness = new CliHarness(dir);
    AppConfig config = new ConfigLoader(harness.environment()).parse(CONFIG, "config.yaml", dir.resolve("config.yaml"));
    tracker = TokenTracker.builder(config.budgets()).store(new InMemoryUsageStore()).clock(() -> CliHarness.NOW)
        .prices(EffectivePrices.of(config)).reservationTimeout(config.reservationTimeout()).build();
  }

  private static TokenUsageEvent actual(long tokens) {
    return TokenUsageEvent.builder("gpt-4o").inputTokens(tokens).timestamp(CliHarness.NOW).build();
  }

  private String detail(String budget) {
    return StatusView.read(tracker.budget(budget), CliHarness.NOW).text(new Format(false));
  }

  private JsonNode json() throws Exception {
    String json = Json.object(out -> {
      out.writeArrayFieldStart("budgets");
      for (TrackedBudget budget : tracker.budgets()) {
        StatusView.read(budget, CliHarness.NOW).json(out);
      }
      out.writeEndArray();
    });
    return new ObjectMapper().readTree(json).get("budgets");
  }

  @Test
  void openReservationsAreShownWithTheirSumAndCount() throws Exception {
    List<Reservation> held = List.of(tracker.reserve("gpt-4o", 4_000), tracker.reserve("gpt-4o", 4_000),
        tracker.reserve("gpt-4o", 4_000));
    assertThat(detail("team")).isEqualTo("""
        Budget  team (monthly, UTC)
        Period  2026-11-01 00:00 UTC to 2026-12-01 00:00 UTC, 14d 12h left
        Usage   [░░░░░░░░░░░░░░░░░░░░] 0.0%
        Used    0 of 20,000 tokens, 20,000 remaining
        Mode    hard: 'tokenwatch reserve' refuses an estimate that would pass the limit
        Reserved 12,000 tokens in 3 open reservations
        Alerts  none fired this period

        No usage in this period yet.
        """);
    assertThat(detail("soft")).doesNotContain("Mode", "Reserved");
    JsonNode team = json().get(0);
    assertThat(team.get("mode").asText()).isEqualTo("hard");
    assertThat(team.get("reserved").asLong()).isEqualTo(12_000);
    assertThat(team.get("openReservations").asInt()).isEqualTo(3);
    assertThat(team.get("overshoot").asLong()).isZero();
    JsonNode soft = json().get(2);
    assertThat(soft.get("mode").asText()).isEqualTo("soft");
    assertThat(soft.get("reserved").asLong()).isZero();
    assertThat(soft.get("openReservations").asInt()).isZero();

    held.get(0).release();
    assertThat(detail("team")).contains("\nReserved 8,000 tokens in 2 open reservations\n");
    held.get(1).release();
    assertThat(detail("team")).contains("\nReserved 4,000 tokens in 1 open reservation\n");
    held.get(2).release();
    assertThat(detail("team")).contains("\nReserved nothing\n");
  }

  @Test
  void commitsAboveTheirEstimatesShowTheOvershoot() throws Exception {
    Reservation first = tracker.reserve("gpt-4o", 6_000);
    Reservation second = tracker.reserve("gpt-4o", 6_000);
    Reservation third = tracker.reserve("gpt-4o", 4_000);
    first.commit(actual(9_000));
    second.commit(actual(9_000));
    // 18,000 used and 4,000 reserved: another 1,000 would pass the 20,000
    assertThatThrownBy(() -> tracker.reserve("gpt-4o", 1_000)).isInstanceOf(BudgetExceededException.class)
        .hasMessage("hard budget 'team' (20,000 tokens monthly): used 18,000 tokens and reserved 4,000 tokens, so "
            + "the estimate of 1,000 tokens would pass its limit");
    third.commit(actual(4_100));
    assertThat(detail("team")).contains("""
        Used    22,100 of 20,000 tokens, 0 remaining
        Mode    hard: 'tokenwatch reserve' refuses an estimate that would pass the limit
        Reserved nothing
        Over    the hard limit by 2,100 tokens: calls used more than they reserved
        """);
    JsonNode team = json().get(0);
    assertThat(team.get("used").asLong()).isEqualTo(22_100);
    assertThat(team.get("overshoot").asLong()).isEqualTo(2_100);
    assertThat(team.get("openReservations").asInt()).isZero();
    // a soft budget passes its limit by design: no overshoot
    assertThat(json().get(2).get("overshoot").asLong()).isZero();
    assertThat(detail("soft")).doesNotContain("Over ");
  }

  @Test
  void theOverviewMarksHardBudgetsWithWhatTheyHoldAndNamesTheOvershoot() {
    tracker.reserve(TokenUsageEvent.builder("gpt-4o").outputTokens(10_000).project("paid")
        .timestamp(CliHarness.NOW).build()); // $0.10 at $10 per million output tokens; in team too
    tracker.commit(tracker.reserve("gpt-4o", 100).id(), actual(21_000));
    List<StatusView> views = tracker.budgets().stream().map(b -> StatusView.summary(b, CliHarness.NOW)).toList();
    String overview = StatusCommand.overview(views, new Format(false));
    assertThat(overview).contains("(monthly, 14d 12h left; hard, 10,000 tokens reserved; alerts up to 100.0% fired;",
        "(monthly, 14d 12h left; hard, $0.10 reserved; only project paid)\n",
        "team: over its hard limit by 1,000 tokens: calls used more than they reserved\n");
    assertThat(overview.lines().filter(l -> l.startsWith("soft ")).findFirst().orElseThrow())
        .doesNotContain("hard");
  }

  @Test
  void aDollarBudgetShowsItsReservationsInDollars() throws Exception {
    tracker.reserve(TokenUsageEvent.builder("gpt-4o").inputTokens(8_000).outputTokens(3_000).project("paid")
        .timestamp(CliHarness.NOW).build()); // $0.02 + $0.03
    assertThat(detail("paid")).contains("\nReserved $0.05 in 1 open reservation\n");
    JsonNode paid = json().get(1);
    assertThat(paid.get("reserved").decimalValue()).isEqualByComparingTo("0.05");
    assertThat(paid.get("overshoot").decimalValue()).isEqualByComparingTo("0");
  }
}
