package dev.tokenwatch.notifier.console.bench;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.notifier.console.ConsoleAlertSink;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one console alert costs the tracking thread: {@code deliver} (format + println) against the
 * baseline of printing the same, already formatted line to the same stream. {@code deliverUsdScoped}
 * writes the longest kind of line: a USD budget with a scope, its tokens and an unpriced-calls note.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConsoleSinkBenchmark {

  private PrintStream out;
  private ConsoleAlertSink plain;
  private ConsoleAlertSink coloured;
  private Alert alert;
  private Alert usdScoped;
  private String preformatted;

  @Setup
  public void setUp() {
    // a real PrintStream encoding UTF-8, writing to a stream that discards the bytes
    out = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    plain = ConsoleAlertSink.builder(out).charset(StandardCharsets.UTF_8).colour(false).build();
    coloured = ConsoleAlertSink.builder(out).charset(StandardCharsets.UTF_8).colour(true).build();
    alert = new Alert(AlertLevel.WARNING, 0.7, 0.7241, "message", Instant.parse("2026-11-20T10:15:30Z"), "default",
        724_100, 1_000_000, BudgetPeriod.MONTHLY, ZonedDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneId.of("UTC")),
        BudgetUnit.TOKENS, UsageFilter.ANY, Counts.ZERO);
    usdScoped = new Alert(AlertLevel.WARNING, 0.7, 0.7496, "message", Instant.parse("2026-11-20T10:15:30Z"), "opus",
        187_400_000_000L, 250_000_000_000L, BudgetPeriod.MONTHLY,
        ZonedDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneId.of("UTC")), BudgetUnit.USD,
        UsageFilter.models("claude-opus-*").withTag("team", "search"),
        new Counts(48_000_000, 0, 0, 0, 48_000_000, 900, 187_400_000_000L, 3, 1_200));
    preformatted = "⚠ WARNING  token budget 'default' at 72.4% — 724,100 of 1,000,000 tokens"
        + " (monthly, resets 2026-12-01 00:00 UTC)";
  }

  /** Baseline: println of the finished line. */
  @Benchmark
  public void baselinePrintlnPreformatted() {
    out.println(preformatted);
  }

  @Benchmark
  public void deliverPlain() {
    plain.deliver(alert);
  }

  @Benchmark
  public void deliverUsdScoped() {
    plain.deliver(usdScoped);
  }

  @Benchmark
  public void deliverColoured() {
    coloured.deliver(alert);
  }
}
