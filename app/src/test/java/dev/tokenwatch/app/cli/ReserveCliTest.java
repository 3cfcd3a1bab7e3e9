package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reserve}, {@code commit} and {@code release} within one run each, over the memory store
 * (which holds nothing between runs): what they print, their exit codes and their usage errors.
 * Reservations that live from one run to the next are {@link HardLimitsCliTest}'s.
 */
class ReserveCliTest {

  /** The form of the ids the tracker makes: "r", 18 hex digits, "-", a counter in base 36. */
  static final String ID = "r[A-Za-z0-9_-]{12}[.][0-9]+";

  private static final String CONFIG = """
      budgets:
        - {name: team, limit: 1000000, mode: hard}
        - {name: usd, limit: 1 USD, mode: hard, scope: {project: paid}}
        - {name: soft, limit: 100}
      store: {type: memory}
      notifiers: []
      reservationTimeout: 2m
      """;

  @TempDir
  Path dir;

  private CliHarness cli;

  @BeforeEach
  void configure() {
    cli = new CliHarness(dir).config(CONFIG);
  }

  @Test
  void reservePrintsTheIdAloneOnStdout() {
    CliHarness.Result result = cli.run("reserve", "--model", "gpt-4o", "--estimate", "6000");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).matches(ID + "\n");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void reserveJsonNamesTheIdItsExpiryAndTheBudgetsHeld() throws Exception {
    CliHarness.Result result = cli.run("reserve", "--model", "gpt-4o", "--input", "1000", "--output", "500",
        "--project", "paid", "--json");
    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.get("id").asText()).matches(ID);
    assertThat(Instant.parse(json.get("expiresAt").asText())).isEqualTo(CliHarness.NOW.plusSeconds(120));
    assertThat(json.get("budgets")).extracting(JsonNode::asText).containsExactly("team", "usd");
  }

  @Test
  void anEstimatePastAHardLimitIsRefusedWithExitOneNamingTheFigures() {
    CliHarness.Result result = cli.run("reserve", "--model", "gpt-4o", "--estimate", "1200000");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.OVER).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("tokenwatch: refused: hard budget 'team' (1,000,000 tokens monthly): used 0 "
        + "tokens and reserved 0 tokens, so the estimate of 1,200,000 tokens would pass its limit\n");
  }

  @Test
  void aDollarEstimateIsPricedAndRefusedInDollars() {
    // gpt-4o: $10 per million output tokens, so 150,000 tokens are $1.50 against a $1.00 limit
    CliHarness.Result result = cli.run("reserve", "--model", "gpt-4o", "--estimate", "150000", "--project", "paid");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OVER);
    assertThat(result.err()).contains("hard budget 'usd' ($1.00 monthly): used $0.00 and reserved $0.00, so the "
        + "estimate of $1.50 would pass its limit");
  }

  @Test
  void aDollarHardBudgetCannotHoldAnUnpricedModel() {
    CliHarness.Result result = cli.run("reserve", "--model", "my-llama", "--estimate", "10", "--project", "paid");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("tokenwatch: model 'my-llama' has no price, so the estimate cannot be "
        + "charged to hard budget 'usd' (in USD); give the model a price (prices:)\n");
    // outside that budget's scope the model needs no price
    assertThat(cli.run("reserve", "--model", "my-llama", "--estimate", "10").exitCode()).isZero();
  }

  @Test
  void aCallUnderNoHardBudgetGetsAReservationThatHoldsNothingAndIsToldSo() {
    cli.config("budget:\n  limit: 100\nstore: {type: memory}\n");
    CliHarness.Result result = cli.run("reserve", "--model", "gpt-4o", "--estimate", "500");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).matches(ID + "\n");
    assertThat(result.err()).isEqualTo("tokenwatch: note: no budget is mode: hard, so the reservation holds "
        + "nothing\n");
    cli.config("budgets:\n  - {name: opus, limit: 100, mode: hard, scope: {models: [\"claude-opus-*\"]}}\n"
        + "store: {type: memory}\n");
    assertThat(cli.run("reserve", "--model", "gpt-4o", "--estimate", "500").err())
        .isEqualTo("tokenwatch: note: no hard budget's scope covers this call, so the reservation holds nothing\n");
  }

  @Test
  void reserveNeedsOneFormOfEstimate() {
    assertUsageError(cli.run("reserve", "--model", "gpt-4o"), "reserve needs --estimate N (tokens), or --input N "
        + "and --output N (the split a USD budget prices exactly)");
    assertUsageError(cli.run("reserve", "--model", "gpt-4o", "--estimate", "5", "--output", "3"),
        "--estimate 5 and --output 3 are both given; give --estimate N, or --input N and --output N");
    assertUsageError(cli.run("reserve", "--model", "gpt-4o", "--estimate", "-5"),
        "Invalid value for option '--estimate': must be a whole number of tokens, 0 or more, got \"-5\"");
    assertUsageError(cli.run("reserve", "--model", "gpt-4o", "--estimate", "5", "--tag", "Team=x"),
        "--tag \"Team=x\"");
    assertUsageError(cli.run("reserve", "--estimate", "5"), "Missing required option: '--model=MODEL'");
  }

  @Test
  void commitOfAReservationThatIsNotOpenRecordsTheUsageAndSaysSo() {
    CliHarness.Result result = cli.run("commit", "r0123-gone", "--model", "gpt-4o", "--input", "300", "--output",
        "200");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("Tracked 500 tokens for gpt-4o:\n  team ")
        .contains("  team  500 of 1,000,000 tokens used")
        .contains("  soft  500 of 100 tokens used (500.0%), 0 remaining\n");
    assertThat(result.err()).isEqualTo("tokenwatch: reservation r0123-gone was no longer open (it expired after 2m, "
        + "was settled already, or is unknown); the usage is recorded all the same\n");
  }

  @Test
  void commitTakesTheUsageOptionsOfTrack() {
    assertUsageError(cli.run("commit", "r1", "--model", "gpt-4o", "--input", "1", "--output", "1", "--at",
        "yesterday"), "--at must be an ISO-8601 date-time with offset");
    assertUsageError(cli.run("commit", "r1", "--model", "gpt-4o", "--input", "1"),
        "Missing required option: '--output=N'");
    assertUsageError(cli.run("commit", "r1", "--model", "gpt-4o", "--input", "1", "--output", "1",
        "--at", CliHarness.NOW.plusSeconds(3600).toString()), "--at must not be more than 5 minutes in the future");
  }

  @Test
  void releaseOfAReservationThatIsNotOpenSaysSoAndExitsZero() {
    CliHarness.Result result = cli.run("release", "r0123-gone");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Reservation r0123-gone was not open (it expired, was settled already, or is "
        + "unknown); nothing to release\n");
  }

  @Test
  void aMalformedIdIsAUsageErrorNamingIt() {
    assertUsageError(cli.run("release", "not an id"), "ID: reservation id must be 1 to 64 letters, digits, '.', "
        + "'_' or '-', got \"not an id\"");
    assertUsageError(cli.run("commit", "a/b", "--model", "m", "--input", "1", "--output", "1"),
        "ID: reservation id must be 1 to 64 letters");
    assertUsageError(cli.run("release"), "Missing required parameter: 'ID'");
  }

  @Test
  void helpListsTheCommandsAndTheExitCodeOfARefusal() {
    // the help's columns are as wide as the longest command name: compare with the layout's spaces collapsed
    String help = cli.run("--help").out().replaceAll("\\s+", " ");
    assertThat(help).contains(" reserve Holds the estimate of an LLM call against the hard budgets; prints",
        " commit Records the usage of a reserved call and ends its reservation. ",
        " release Ends a reservation without usage (the call failed or was not made). ",
        " 1 check: usage at or over the ratio; reserve: refused by a hard budget; ");
    assertThat(cli.run("reserve", "--help").out()).contains("--estimate=N", "--input=N", "--project=PROJECT",
        "--json");
    assertThat(cli.run("commit", "--help").out()).contains("--cache-read=N", "--request-id=ID", "--tag=KEY=VALUE");
  }

  private static void assertUsageError(CliHarness.Result result, String message) {
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains(message);
    assertThat(result.out()).isEmpty();
  }
}
