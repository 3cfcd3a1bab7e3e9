package dev.tokenwatch.notifier.console;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.testing.CapturedLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetPeriod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
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
  void forStderrBuildsAWorkingSink() {
    assertThatCode(() -> ConsoleAlertSink.forStderr()).doesNotThrowAnyException();
    assertThat(ConsoleAlertSink.stderrCharset()).isNotNull();
  }
}
