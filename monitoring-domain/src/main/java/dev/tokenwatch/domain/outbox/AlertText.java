package dev.tokenwatch.domain.outbox;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertKind;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Properties;
import java.util.function.Function;

/**
 * An alert as text, for stores to keep in their outbox: {@code key=value} lines ({@link Properties}'
 * format and escaping), one key per component. One encoding for every store, so an alert reads back
 * equal wherever it was kept.
 */
public final class AlertText {

  private AlertText() {}

  /** {@code alert} as text. */
  public static String encode(Alert alert) {
    Properties p = new Properties();
    p.setProperty("id", alert.id());
    p.setProperty("level", alert.level().name());
    p.setProperty("threshold", Double.toString(alert.threshold()));
    p.setProperty("percentage", Double.toString(alert.percentage()));
    p.setProperty("message", alert.message());
    p.setProperty("timestamp", alert.timestamp().toString());
    p.setProperty("budget", alert.budgetName());
    p.setProperty("used", Long.toString(alert.used()));
    p.setProperty("limit", Long.toString(alert.limit()));
    p.setProperty("period", alert.period().name());
    p.setProperty("periodEnd", alert.periodEnd().toString());
    p.setProperty("unit", alert.unit().name());
    p.setProperty("scope", alert.scope().canonical());
    Counts c = alert.counts();
    p.setProperty("counts", c.inputTokens() + "," + c.outputTokens() + "," + c.cacheCreationTokens() + ","
        + c.cacheReadTokens() + "," + c.totalTokens() + "," + c.calls() + "," + c.costNanoUsd() + ","
        + c.unpricedCalls() + "," + c.unpricedTokens());
    p.setProperty("kind", alert.kind().name());
    if (alert.reachesAt() != null) {
      p.setProperty("reachesAt", alert.reachesAt().toString());
    }
    StringWriter out = new StringWriter();
    try {
      p.store(out, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // drop the date comment Properties writes first: the text of an alert is the same every time
    String text = out.toString();
    return text.startsWith("#") ? text.substring(text.indexOf('\n') + 1) : text;
  }

  /**
   * The alert {@code text} encodes.
   *
   * @throws IllegalArgumentException naming the key, if a key is missing or its value unreadable
   */
  public static Alert decode(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("unreadable alert text: " + e.getMessage(), e);
    }
    long[] counts = value(p, "counts", AlertText::longs);
    if (counts.length != 9) {
      throw new IllegalArgumentException("alert key 'counts' needs 9 numbers, got " + counts.length);
    }
    return new Alert(
        value(p, "level", AlertLevel::valueOf),
        value(p, "threshold", Double::parseDouble),
        value(p, "percentage", Double::parseDouble),
        value(p, "message", Function.identity()),
        value(p, "timestamp", Instant::parse),
        value(p, "budget", Function.identity()),
        value(p, "used", Long::parseLong),
        value(p, "limit", Long::parseLong),
        value(p, "period", BudgetPeriod::valueOf),
        value(p, "periodEnd", ZonedDateTime::parse),
        value(p, "unit", BudgetUnit::valueOf),
        value(p, "scope", UsageFilter::fromCanonical),
        new Counts(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7], counts[8]),
        value(p, "kind", AlertKind::valueOf),
        p.getProperty("reachesAt") == null ? null : value(p, "reachesAt", Instant::parse),
        value(p, "id", Function.identity()));
  }

  private static long[] longs(String text) {
    String[] parts = text.split(",", -1);
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = Long.parseLong(parts[i]);
    }
    return values;
  }

  private static <T> T value(Properties p, String key, Function<String, T> parse) {
    String text = p.getProperty(key);
    if (text == null) {
      throw new IllegalArgumentException("alert text lacks the key '" + key + "'");
    }
    try {
      return parse.apply(text);
    } catch (RuntimeException e) {
      if (e instanceof DateTimeParseException || e instanceof IllegalArgumentException) {
        throw new IllegalArgumentException("alert key '" + key + "' has an unreadable value '" + text + "': "
            + e.getMessage(), e);
      }
      throw e;
    }
  }
}
