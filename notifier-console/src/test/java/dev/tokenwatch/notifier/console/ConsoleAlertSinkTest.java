package dev.tokenwatch.notifier.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.PeriodWindow;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.testing.CapturedLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsoleAlertSinkTest {

  private static final ZonedDateTime PERIOD_END = ZonedDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneId.of("UTC"));

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private CapturedLog log;

  @BeforeEach
  void captureLog() {
    log = CapturedLog.attach();
  }

  @AfterEach
  void releaseLog() {
    log.close();
  }

  static Alert alert(AlertLevel level, String budgetName, long used, long limit) {
    double threshold = level == AlertLevel.INFO ? 0.5 : level == AlertLevel.WARNING ? 0.7 : 1.0;
    return new Alert(level, threshold, (double) used / limit, "message", Instant.parse("2026-11-20T10:15:30Z"),
        budgetName, used, limit, BudgetPeriod.MONTHLY, PERIOD_END,
        BudgetUnit.TOKENS, UsageFilter.ANY, Counts.ZERO);
  }

  /** Counts of {@code calls} calls with {@code totalTokens} tokens, costing {@code costNanoUsd}, some unpriced. */
  static Counts counts(long totalTokens, long calls, long costNanoUsd, long unpricedCalls, long unpricedTokens) {
    return new Counts(totalTokens, 0, 0, 0, totalTokens, calls, costNanoUsd, unpricedCalls, unpricedTokens);
  }

  /** The alert the domain raises for {@code budget} at 70% with {@code counts}. */
  static Alert raised(TokenBudget budget, Counts counts) {
    PeriodWindow window = new PeriodWindow(BudgetPeriod.MONTHLY, PERIOD_END.minusMonths(1), PERIOD_END);
    return Alert.of(budget, 0.7, Usage.of(counts, budget), window, Instant.parse("2026-11-20T10:15:30Z"));
  }

  static TokenBudget usdBudget(String name, UsageFilter scope) {
    return TokenBudget.builder().name(name).limitUsd(new BigDecimal("250.00")).scope(scope).build();
  }

  static TokenBudget tokenBudget(String name, UsageFilter scope) {
    return TokenBudget.builder().name(name).limit(1_000_000).scope(scope).build();
  }

  private String lineFor(Alert alert) {
    ConsoleAlertSink sink = ConsoleAlertSink.builder(stream(StandardCharsets.UTF_8))
        .charset(StandardCharsets.UTF_8).colour(false).build();
    sink.deliver(alert);
    String text = written(StandardCharsets.UTF_8);
    assertThat(text).endsWith(System.lineSeparator());
    return text.substring(0, text.length() - System.lineSeparator().length());
  }

  private PrintStream stream(Charset charset) {
    return new PrintStream(bytes, true, charset);
  }

  private String written(Charset charset) {
    return bytes.toString(charset);
  }

  @Test
  void writesTheAlertAsOneReadableLine() {
    ConsoleAlertSink sink = ConsoleAlertSink.builder(stream(StandardCharsets.UTF_8))
        .charset(StandardCharsets.UTF_8).colour(false).build();

    sink.deliver(alert(AlertLevel.WARNING, "default", 724_100, 1_000_000));

    assertThat(written(StandardCharsets.UTF_8)).isEqualTo(
        "⚠ WARNING  token budget 'default' at 72.4% — 724,100 of 1,000,000 tokens (monthly, resets 2026-12-01 00:00 UTC)"
            + System.lineSeparator());
  }

  @Test
  void eachLevelHasItsOwnSymbolAndTheLabelsLineUp() {
    ConsoleAlertSink sink = ConsoleAlertSink.builder(stream(StandardCharsets.UTF_8))
        .charset(StandardCharsets.UTF_8).build();

    sink.deliver(alert(AlertLevel.INFO, "default", 500_000, 1_000_000));
    sink.deliver(alert(AlertLevel.CRITICAL, "team-a", 1_200_000, 1_000_000));

    String[] lines = written(StandardCharsets.UTF_8).split(System.lineSeparator());
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("ℹ INFO     token budget 'default' at 50.0% — 500,000 of 1,000,000");
    assertThat(lines[1]).startsWith("✖ CRITICAL token budget 'team-a' at 120.0% — 1,200,000 of 1,000,000");
  }

  @Test
  void colourWrapsTheLineInTheLevelsAnsiCodeAndResets() {
    ConsoleAlertSink sink = ConsoleAlertSink.builder(stream(StandardCharsets.UTF_8))
        .charset(StandardCharsets.UTF_8).colour(true).build();

    sink.deliver(alert(AlertLevel.INFO, "default", 500_000, 1_000_000));
    sink.deliver(alert(AlertLevel.WARNING, "default", 724_100, 1_000_000));
    sink.deliver(alert(AlertLevel.CRITICAL, "default", 1_000_000, 1_000_000));

    String[] lines = written(StandardCharsets.UTF_8).split(System.lineSeparator());
    assertThat(lines[0]).startsWith("\u001b[36mℹ INFO ").endsWith(")\u001b[0m");
    assertThat(lines[1]).startsWith("\u001b[33m⚠ WARNING ").endsWith(")\u001b[0m");
    assertThat(lines[2]).startsWith("\u001b[1;31m✖ CRITICAL ").endsWith(")\u001b[0m");
  }

  @Test
  void withoutColourNoEscapeCodeIsWritten() {
    ConsoleAlertSink sink = ConsoleAlertSink.builder(stream(StandardCharsets.UTF_8))
        .charset(StandardCharsets.UTF_8).colour(false).build();

    for (AlertLevel level : AlertLevel.values()) {
      sink.deliver(alert(level, "default", 900_000, 1_000_000));
    }

    assertThat(written(StandardCharsets.UTF_8)).doesNotContain("\u001b").contains("CRITICAL");
  }

  @Test
  void colourOnlyOnATerminalAndOnlyWithoutNoColor() {
    assertThat(ConsoleAlertSink.colourWanted(true, Map.<String, String>of()::get)).isTrue();
    assertThat(ConsoleAlertSink.colourWanted(false, Map.<String, String>of()::get)).isFalse();
    assertThat(ConsoleAlertSink.colourWanted(true, Map.of("NO_COLOR", "1")::get)).isFalse();
    assertThat(ConsoleAlertSink.colourWanted(true, Map.of("NO_COLOR", "yes please")::get)).isFalse();
    // no-color.org: only a non-empty value disables colour
    assertThat(ConsoleAlertSink.colourWanted(true, Map.of("NO_COLOR", "")::get)).isTrue();
    assertThat(ConsoleAlertSink.colourWanted(false, Map.of("NO_COLOR", "")::get)).isFalse();
  }

  @Test
  void fallsBackToAsciiWhenTheCharsetCannotEncodeTheSymbols() {
    ConsoleAlertSink sink = ConsoleAlertSink.builder(stream(StandardCharsets.US_ASCII))
        .charset(StandardCharsets.US_ASCII).build();

    sink.deliver(alert(AlertLevel.WARNING, "default", 724_100, 1_000_000));
    sink.deliver(alert(AlertLevel.CRITICAL, "default", 1_000_000, 1_000_000));

    String text = written(StandardCharsets.US_ASCII);
    assertThat(text).doesNotContain("?").isEqualTo(
        "! WARNING  token budget 'default' at 72.4% - 724,100 of 1,000,000 tokens (monthly, resets 2026-12-01 00:00 UTC)"
            + System.lineSeparator()
            + "X CRITICAL token budget 'default' at 100.0% - 1,000,000 of 1,000,000 tokens (monthly, resets 2026-12-01 00:00 UTC)"
            + System.lineSeparator());
  }

  @Test
  void latin1CannotEncodeTheSymbolsEither() {
    ConsoleAlertSink sink = ConsoleAlertSink.builder(stream(StandardCharsets.ISO_8859_1))
        .charset(StandardCharsets.ISO_8859_1).build();

    sink.deliver(alert(AlertLevel.INFO, "default", 500_000, 1_000_000));

    assertThat(written(StandardCharsets.ISO_8859_1)).startsWith("i INFO     token budget 'default' at 50.0% - ");
  }

  @Test
  void controlCharactersInTheBudgetNameCannotRecolourOrSplitTheLine() {
    ConsoleAlertSink sink = ConsoleAlertSink.builder(stream(StandardCharsets.UTF_8))
        .charset(StandardCharsets.UTF_8).build();

    sink.deliver(alert(AlertLevel.WARNING, "evil\u001b[2J\nsecond line", 724_100, 1_000_000));

    String text = written(StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\u001b").contains("'evil\\u001b[2J\\u000asecond line'");
    assertThat(text.split(System.lineSeparator())).hasSize(1);
  }

  @Test
  void aStreamThatThrowsIsReportedOnceAndNeverThrowsIntoTheCaller() {
    PrintStream throwing = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8) {
      @Override
      public void println(String x) {
        throw new UncheckedIOException(new IOException("stream closed by the test"));
      }
    };
    ConsoleAlertSink sink = ConsoleAlertSink.builder(throwing).charset(StandardCharsets.UTF_8).build();

    assertThatCode(() -> {
      sink.deliver(alert(AlertLevel.WARNING, "default", 724_100, 1_000_000));
      sink.deliver(alert(AlertLevel.CRITICAL, "default", 1_000_000, 1_000_000));
    }).doesNotThrowAnyException();

    var errors = log.at(Level.ERROR);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).logger()).isEqualTo(ConsoleAlertSink.class.getName());
    assertThat(errors.get(0).message()).contains("Cannot write alerts to the console stream", "WARNING", "'default'");
    assertThat(errors.get(0).thrown()).contains("stream closed by the test");
  }

  @Test
  void aStreamWhoseOutputFailsIsDetectedThroughCheckErrorAndReportedOnce() {
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("broken pipe");
      }
    };
    ConsoleAlertSink sink = ConsoleAlertSink.builder(new PrintStream(broken, true, StandardCharsets.UTF_8))
        .charset(StandardCharsets.UTF_8).build();

    assertThatCode(() -> {
      sink.deliver(alert(AlertLevel.INFO, "default", 500_000, 1_000_000));
      sink.deliver(alert(AlertLevel.INFO, "default", 600_000, 1_000_000));
    }).doesNotThrowAnyException();

    var errors = log.at(Level.ERROR);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).message()).contains("the stream reported an I/O error", "INFO", "50.0%");
  }

  @Test
  void aTokenBudgetWhoseCallsAreAllPricedShowsTheCostBesideTheTokens() {
    Alert alert = raised(tokenBudget("default", UsageFilter.ANY), counts(724_100, 40, 3_120_000_000L, 0, 0));

    assertThat(lineFor(alert)).isEqualTo("⚠ WARNING  token budget 'default' at 72.4% — 724,100 of 1,000,000 tokens"
        + " — $3.12 (monthly, resets 2026-12-01 00:00 UTC)");
  }

  @Test
  void aTokenBudgetShowsNoCostWhenSomeCallIsUnpricedOrNothingCostAnything() {
    Alert partlyPriced = raised(tokenBudget("default", UsageFilter.ANY), counts(724_100, 40, 3_120_000_000L, 1, 100));
    Alert free = raised(tokenBudget("default", UsageFilter.ANY), counts(724_100, 40, 0, 0, 0));

    // a partial cost would read as the whole; a token budget counts unpriced tokens, so no note
    String expected = "⚠ WARNING  token budget 'default' at 72.4% — 724,100 of 1,000,000 tokens"
        + " (monthly, resets 2026-12-01 00:00 UTC)";
    assertThat(lineFor(partlyPriced)).isEqualTo(expected);
    bytes.reset();
    assertThat(lineFor(free)).isEqualTo(expected);
  }

  @Test
  void aTokenBudgetCostingLessThanACentShowsItsSignificantDigits() {
    Alert alert = raised(tokenBudget("default", UsageFilter.ANY), counts(724_100, 1, 4_200_000L, 0, 0));

    assertThat(lineFor(alert)).contains("724,100 of 1,000,000 tokens — $0.0042 (monthly");
  }

  @Test
  void aUsdBudgetShowsDollarsAndItsTokens() {
    Alert alert = raised(usdBudget("spend", UsageFilter.ANY), counts(48_000_000, 900, 187_400_000_000L, 0, 0));

    assertThat(lineFor(alert)).isEqualTo("⚠ WARNING  budget 'spend' at 75.0% — $187.40 of $250.00"
        + " — 48,000,000 tokens (monthly, resets 2026-12-01 00:00 UTC)");
  }

  @Test
  void aUsdBudgetNotesTheUnpricedCallsItCouldNotCount() {
    Alert three = raised(usdBudget("spend", UsageFilter.ANY), counts(48_000_000, 900, 187_400_000_000L, 3, 1_200));
    Alert one = raised(usdBudget("spend", UsageFilter.ANY), counts(48_000_000, 900, 187_400_000_000L, 1, 300));

    assertThat(lineFor(three)).isEqualTo("⚠ WARNING  budget 'spend' at 75.0% — $187.40 of $250.00"
        + " — 48,000,000 tokens; 3 unpriced calls (1,200 tokens) not counted (monthly, resets 2026-12-01 00:00 UTC)");
    bytes.reset();
    assertThat(lineFor(one)).contains("48,000,000 tokens; 1 unpriced call (300 tokens) not counted (monthly");
  }

  @Test
  void theScopeIsShownUnlessTheBudgetCountsAllUsage() {
    UsageFilter opusForSearch = UsageFilter.models("claude-opus-*").withTag("team", "search");
    Alert scoped = raised(usdBudget("opus", opusForSearch), counts(48_000_000, 900, 187_400_000_000L, 0, 0));
    Alert tokens = raised(tokenBudget("opus", UsageFilter.models("claude-opus-*")), counts(724_100, 4, 0, 4, 724_100));

    assertThat(lineFor(scoped)).startsWith(
        "⚠ WARNING  budget 'opus' (model claude-opus-*, tag team=search) at 75.0% — $187.40 of $250.00");
    bytes.reset();
    assertThat(lineFor(tokens)).startsWith("⚠ WARNING  token budget 'opus' (model claude-opus-*) at 72.4% — ");
    bytes.reset();
    assertThat(lineFor(raised(usdBudget("all", UsageFilter.ANY), counts(1, 1, 1, 0, 0))))
        .startsWith("⚠ WARNING  budget 'all' at 0.0% — ").doesNotContain("all usage");
  }

  @Test
  void controlCharactersInTheScopeCannotRecolourOrSplitTheLine() {
    Alert alert = raised(usdBudget("opus", UsageFilter.ANY.withProject("evil\u001b[2J\nproject")),
        counts(48_000_000, 900, 187_400_000_000L, 0, 0));

    String text = lineFor(alert);
    assertThat(text).doesNotContain("\u001b", "\n").contains("(project evil\\u001b[2J\\u000aproject)");
  }

  @Test
  void theAsciiLineCarriesTheSameFiguresWithPlainDashes() {
    ConsoleAlertSink sink = ConsoleAlertSink.builder(stream(StandardCharsets.US_ASCII))
        .charset(StandardCharsets.US_ASCII).build();

    sink.deliver(raised(usdBudget("opus", UsageFilter.models("claude-opus-*")),
        counts(48_000_000, 900, 187_400_000_000L, 3, 1_200)));

    assertThat(written(StandardCharsets.US_ASCII)).isEqualTo("! WARNING  budget 'opus' (model claude-opus-*) at 75.0%"
        + " - $187.40 of $250.00 - 48,000,000 tokens; 3 unpriced calls (1,200 tokens) not counted"
        + " (monthly, resets 2026-12-01 00:00 UTC)" + System.lineSeparator());
  }

  @Test
  void alertsOfSeveralBudgetsFromOneEventAreEachWrittenOnTheirOwnLine() {
    ConsoleAlertSink sink = ConsoleAlertSink.builder(stream(StandardCharsets.UTF_8))
        .charset(StandardCharsets.UTF_8).build();
    List<Alert> alerts = List.of(
        raised(tokenBudget("tokens", UsageFilter.ANY), counts(724_100, 40, 3_120_000_000L, 0, 0)),
        raised(usdBudget("opus", UsageFilter.models("claude-opus-*")), counts(48_000_000, 900, 187_400_000_000L, 0, 0)));

    alerts.forEach(sink::deliver);

    assertThat(written(StandardCharsets.UTF_8).split(System.lineSeparator())).satisfiesExactly(
        first -> assertThat(first).contains("token budget 'tokens' at 72.4% — 724,100 of 1,000,000 tokens — $3.12"),
        second -> assertThat(second).contains("budget 'opus' (model claude-opus-*) at 75.0% — $187.40 of $250.00"));
  }

  @Test
  void aForecastSaysWhenTheThresholdIsReached() {
    TokenBudget budget = TokenBudget.builder().name("team").limit(1_000).forecastThresholds(List.of(1.0)).build();
    PeriodWindow window = budget.period().windowOf(Instant.parse("2026-11-04T00:00:00Z"), budget.zone());
    Alert alert = Alert.forecast(budget, 1.0, Usage.of(new Counts(300, 0, 0, 0, 300, 3), budget),
        Instant.parse("2026-11-11T00:00:00Z"), window, Instant.parse("2026-11-04T00:00:00Z"));
    ConsoleAlertSink sink = ConsoleAlertSink.builder(stream(StandardCharsets.UTF_8))
        .charset(StandardCharsets.UTF_8).build();
    assertThat(sink.format(alert)).endsWith("token budget 'team' projected to reach 1,000 tokens (100.0%) on Nov 11 00:00 at this rate"
        + " — 300 of 1,000 tokens (monthly, resets 2026-12-01 00:00 UTC)");
  }

  @Test
  void forStderrBuildsAWorkingSink() {
    assertThatCode(() -> ConsoleAlertSink.forStderr()).doesNotThrowAnyException();
    assertThat(ConsoleAlertSink.stderrCharset()).isNotNull();
  }
}
